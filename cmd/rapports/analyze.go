package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/server"
)

func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:  "analyze",
		Usage: "show the terms an analyzer makes of a text",
		UsageText: `rapports analyze [--analyzer NAME] [--json] TEXT

rapports analyze "L’armée de l’air a renforcé ses défenses aériennes"
rapports analyze --analyzer ` + analyzers.ExactName + ` --json "Armées"`,
		Description: `Prints each term with its position and its start and end byte offsets in TEXT,
or with --json the same JSON as GET /api/analyze. Analyzers:

  ` + analyzers.FrenchName + `               (default) stems without stop words: what a search looks for
  ` + analyzers.ExactName + `         folded exact forms: what exact: looks for
  ` + analyzers.IndexName + `         what the index stores: stems and =exact forms
  ` + analyzers.ExactQueryName + `   =exact forms, as an exact: query asks the index`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "analyzer", Aliases: []string{"a"}, Value: analyzers.FrenchName, Usage: "analyzer `NAME`"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON, as the HTTP API does"},
		},
		Action: runAnalyze,
	}
}

func runAnalyze(c *cli.Context) error {
	if c.NArg() == 0 {
		return usageError(c, "analyze: give the TEXT to analyze")
	}
	text := strings.Join(c.Args().Slice(), " ")
	a, err := server.Analyze(c.String("analyzer"), text)
	if isUsage(err) {
		return usageError(c, "analyze: %v", err)
	}
	if err != nil {
		return err
	}
	w := c.App.Writer
	if c.Bool("json") {
		return server.WriteJSON(w, a)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TERM\tPOSITION\tSTART\tEND\tTEXT")
	for _, t := range a.Tokens {
		src := ""
		if 0 <= t.Start && t.Start <= t.End && t.End <= len(text) {
			src = text[t.Start:t.End]
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", t.Term, t.Position, t.Start, t.End, src)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("analyze: write: %w", err)
	}
	return nil
}
