package index

// AnalyzerVersion returns the fingerprint of the analyzers that Open checks
// against the one an index was built with: 16 hex digits, a digest of the
// terms, positions and offsets the index, search and exact analyzers make
// of a fixed probe text. Two builds of rapports with the same
// AnalyzerVersion and SchemaVersion read each other's indexes.
func AnalyzerVersion() (string, error) {
	return analyzerFingerprint()
}
