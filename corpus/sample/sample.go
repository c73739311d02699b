// Package sample holds the sample corpus embedded in the rapports binary:
// French analyst-style reports on defence, diplomacy, economy, climate,
// health, migration, energy and elections, dated from 2022 to 2025 and
// naming several dozen countries. The reports were written for rapports;
// they let a first "rapports serve" answer searches without any user data,
// and give tests and examples a realistic corpus.
//
// The reports use three of the input formats the corpus package reads:
// text files with "date:", "title:", "country:" and "source:" header lines
// (a few with the date inline before the first sentence), Markdown files
// and a JSON Lines file; HTML, JSON documents and gzip are covered by the
// corpus package's own tests.
package sample

import (
	"embed"
	"io/fs"
)

// FS is the embedded corpus. Its only top-level entry is the folder
// "reports", which holds the report files in one subfolder per theme.
// Walking FS from "." sees every report under "reports/".
//
//go:embed reports
var FS embed.FS

// Root is the folder of FS that holds the reports.
const Root = "reports"

// Files returns the corpus rooted at the reports folder, so that report
// paths and IDs read "defense/...", not "reports/defense/...".
func Files() fs.FS {
	sub, err := fs.Sub(FS, Root)
	if err != nil {
		// fs.Sub fails only on an invalid path, and Root is a valid constant.
		panic("sample: " + err.Error())
	}
	return sub
}
