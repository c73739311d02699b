// Package analyzers registers with Bleve the French analysis of rapports:
// the analyzers FrenchName, ExactName, IndexName and ExactQueryName and the
// token filters they are built from (StemmerName, StemFoldName, FoldName,
// ElisionName, StopName, OrdinalName, ExactRepeatName, MarkName). Any Bleve
// mapping can name them once this package is imported.
package analyzers
