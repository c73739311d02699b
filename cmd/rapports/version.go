package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/internal/buildinfo"
	"github.com/rapports/rapports/server"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version: module, Go, commit, index schema and analyzers",
		UsageText: `rapports version [--json]

rapports version
rapports --version
rapports version --json | jq .commit`,
		Description: `Prints the module version (a tag when installed with "go install
github.com/rapports/rapports/cmd/rapports@VERSION", else "(devel)"), the Go
version that built the binary, the git commit when it was built from a git
checkout, the index schema version and the analyzers' fingerprint. An index is
read only by a binary with the same schema and analyzers; "rapports stats"
shows the index's schema. --json prints the same JSON as GET /api/version.`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the HTTP API's JSON"},
		},
		Action: runVersion,
	}
}

func runVersion(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError(c, "version: takes no argument (got %q)", c.Args().First())
	}
	info := buildinfo.Read()
	if c.Bool("json") {
		return server.WriteJSON(c.App.Writer, info)
	}
	if _, err := fmt.Fprintln(c.App.Writer, info); err != nil {
		return fmt.Errorf("version: write: %w", err)
	}
	return nil
}
