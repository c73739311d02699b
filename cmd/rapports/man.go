package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (roff, section 1)",
		UsageText: `rapports man

rapports man | man -l -
rapports man > ~/.local/share/man/man1/rapports.1   # then: man rapports`,
		Description: `Prints the manual page of rapports in roff: every command with its
description, examples and options, generated from this binary's commands.`,
		Action: runMan,
	}
}

func runMan(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError(c, "man: takes no argument (got %q)", c.Args().First())
	}
	// urfave/cli's page has each command's one-line usage, examples and
	// options: add its description to its usage. The page is made from a
	// new app, whose commands this may change.
	app := newApp()
	for _, cmd := range app.Commands {
		if cmd.Description != "" {
			cmd.Usage += ".\n\n" + cmd.Description
		}
	}
	page, err := app.ToManWithSection(1)
	if err != nil {
		return fmt.Errorf("man: %w", err)
	}
	if _, err := fmt.Fprint(c.App.Writer, page); err != nil {
		return fmt.Errorf("man: write: %w", err)
	}
	return nil
}
