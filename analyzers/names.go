package analyzers

// Names of the analyzers this package registers with Bleve's registry.
const (
	// FrenchName is the French search analyzer: Unicode words, elision,
	// lowercasing, French stop words, Snowball stemming and accent folding,
	// so that "armées", "ARMEE" and "l'armée" give a matching term.
	FrenchName = "rapports_fr"
	// ExactName is the exact-form analyzer: same tokenizing, elision,
	// lowercasing and accent folding, but no stemming and no stop words.
	ExactName = "rapports_fr_exact"
	// IndexName is the analyzer for indexed text fields: FrenchName's terms
	// and, at the same positions, ExactName's terms prefixed with
	// ExactMarker, so one field serves both stemmed and exact search
	// (as Lucene's keyword-repeat filter does) without indexing text twice.
	IndexName = "rapports_fr_index"
	// ExactQueryName analyzes exact queries against an IndexName field:
	// ExactName's terms prefixed with ExactMarker.
	ExactQueryName = "rapports_fr_exact_query"
)

// ExactMarker prefixes exact-form terms in an IndexName field. The tokenizer
// never emits it, so a marked term cannot collide with a stem.
const ExactMarker = "="

// Token is one term of analyzed text, as printed by `rapports analyze` and
// served by GET /api/analyze.
type Token struct {
	Term     string `json:"term"`
	Position int    `json:"position"`
	Start    int    `json:"start"` // byte offset of the token in the text
	End      int    `json:"end"`   // byte offset just past the token
}
