package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/rapports/rapports/server"
)

func statsCommand() *cli.Command {
	return &cli.Command{
		Name:  "stats",
		Usage: "describe the index: documents, dates, countries, size",
		UsageText: `rapports stats [--index DIR] [--json]

rapports stats
rapports stats --index ./mon-index --json`,
		Description: `Prints the number of documents, the date range, the countries named most and
the size of the index on disk; with --json, the same JSON as GET /api/stats.
While "rapports serve" holds the index, the numbers are asked of it.`,
		Flags: []cli.Flag{
			indexFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print the HTTP API's JSON"},
		},
		Action: runStats,
	}
}

func runStats(c *cli.Context) error {
	dir, _, err := indexDir(c)
	if err != nil {
		return err
	}
	r, err := openReader(c, dir)
	if err != nil {
		return err
	}
	st, err := r.Stats(c.Context)
	err = r.done(err)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	if st.Path == "" {
		st.Path = dir
	}
	if c.Bool("json") {
		return server.WriteJSON(c.App.Writer, st)
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Index\t%s\n", st.Path)
	fmt.Fprintf(tw, "Documents\t%d\n", st.Documents)
	switch {
	case st.FirstDate != "":
		fmt.Fprintf(tw, "Dates\t%s to %s\n", st.FirstDate, st.LastDate)
	default:
		fmt.Fprintf(tw, "Dates\tnone\n")
	}
	countries := countryList(st.TopCountries)
	if countries == "" {
		countries = "none"
	}
	fmt.Fprintf(tw, "Countries\t%s\n", countries)
	fmt.Fprintf(tw, "Size on disk\t%s\n", formatBytes(st.SizeBytes))
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("stats: write: %w", err)
	}
	return nil
}
