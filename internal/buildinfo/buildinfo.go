// Package buildinfo describes the running rapports binary: its module
// version, the Go version that built it, the commit when built from a git
// checkout, and the versions of the index schema and analyzers that decide
// whether it reads an existing index. "rapports version" and GET
// /api/version print it.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/rapports/rapports/index"
)

// Info is the version of a rapports binary. Its JSON is the answer of GET
// /api/version and of "rapports version --json".
type Info struct {
	// Module is the main module's path, github.com/rapports/rapports.
	Module string `json:"module"`
	// Version is the module version: a tag such as v1.2.0 when installed
	// with "go install ...@version", a pseudo-version when built from a
	// checkout that Go stamps, else "(devel)".
	Version string `json:"version"`
	// GoVersion is the Go release that built the binary, as go1.26.0.
	GoVersion string `json:"go_version"`
	// Commit is the git commit the binary was built from, when Go stamped
	// it (a build inside a git checkout without -buildvcs=false); "" otherwise.
	Commit string `json:"commit,omitempty"`
	// CommitTime is the commit's time, RFC 3339, when Commit is set.
	CommitTime string `json:"commit_time,omitempty"`
	// Modified says the checkout had uncommitted changes, when Commit is set.
	Modified bool `json:"modified,omitempty"`
	// Schema is index.SchemaVersion: the layout of the index's fields.
	Schema int `json:"schema_version"`
	// Analyzer is index.AnalyzerVersion: the fingerprint of the analyzers.
	// An index is read only by a binary with the same Schema and Analyzer.
	Analyzer string `json:"analyzer_version"`
}

// Read returns the version of the running binary.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return FromBuildInfo(bi)
}

// FromBuildInfo returns the version a binary with build information bi
// has (nil when the binary carries none).
func FromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Module: "github.com/rapports/rapports", Version: "(devel)", GoVersion: runtime.Version(),
		Schema: index.SchemaVersion}
	if fp, err := index.AnalyzerVersion(); err == nil {
		info.Analyzer = fp
	} else {
		info.Analyzer = "unknown (" + err.Error() + ")"
	}
	if bi == nil {
		return info
	}
	if bi.Main.Path != "" {
		info.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		info.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.time":
			info.CommitTime = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// String writes the version on one line, as "rapports --version" prints
// it: "rapports v1.2.0 (commit 1a2b3c4d5e6f, go1.26.0, schema 2, analyzers 0123456789abcdef)".
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rapports %s (", i.Version)
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		b.WriteString("commit " + c)
		if i.Modified {
			b.WriteString("+modified")
		}
		b.WriteString(", ")
	}
	fmt.Fprintf(&b, "%s, schema %d, analyzers %s)", i.GoVersion, i.Schema, i.Analyzer)
	return b.String()
}
