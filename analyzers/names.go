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

// Names of the token filters this package registers with Bleve's registry.
const (
	// StemmerName is the plain Snowball French stemmer (kljensen/snowball,
	// the 2018 algorithm) as a token filter: "sécurité" gives "sécur".
	StemmerName = "rapports_stem_fr"
	// StemFoldName is the accent-insensitive stemmer: each word gives the
	// folded stem of its accented form and, at the same position when it
	// differs, the stem of its folded form (see the package documentation).
	StemFoldName = "rapports_stemfold_fr"
	// FoldName lowercases terms, removes diacritics (œ → oe, æ → ae) and
	// writes the apostrophes ’, ‘ and ʼ as '.
	FoldName = "rapports_fold"
	// ElisionName removes the French elided articles and pronouns (l' d' j'
	// m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu'), written with ',
	// ’ or the ‘ and ʼ some texts use instead, from lowercased terms, and
	// moves the token's start past them. It also joins the letters of
	// dotted acronyms ("l’o.n.u" gives "onu", as "ONU" does).
	ElisionName = "rapports_elision_fr"
	// StopName removes French stop words, accented or not.
	StopName = "rapports_stop_fr"
	// OrdinalName writes numeric ordinals in one form: "1er", "1re" and
	// "1ère" give "1er"; "2e", "2ème", "2eme" and "2nd" give "2e".
	OrdinalName = "rapports_ordinal_fr"
	// ExactRepeatName emits, before each token, a copy of it folded and
	// prefixed with ExactMarker, marked as a keyword so that the stop and
	// stemming filters leave it alone.
	ExactRepeatName = "rapports_exact_repeat"
	// MarkName prefixes every term with ExactMarker.
	MarkName = "rapports_exact_mark"
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

// FingerprintProbe is a French text whose terms change whenever a change
// of the analyzers changes the terms of any text: the index package keeps
// a digest of its analysis in every index and refuses, with its re-index
// error, an index built by analyzers that analyze it differently. It holds
// an example of each thing the analyzers do.
const FingerprintProbe = "L'armée israélienne, qu’elles défendaient jusqu'à Gaza : DÉFENSES aériennes, œuvres " +
	"Jean-François et les États-Unis d’Amérique ; 2024 élections présidentielles ; l’O.N.U., des avions, l'or, l‘Hôtel, Mali, les armées.Virage" +
	" ; le mini\u00adstre, le pré\u200bsident, \u202aRÉPUBLIQUE\u202c, ＲＥＰＵＢＬＩＱＵＥ, l＇artillerie, la ﬁnance, arme\u0301e" +
	" ; 1 500 soldats, 2\u202f000\u202f000 d’euros, 1.500, 2.5 millions" +
	" ; les feux, les travaux, les yeux, la France, le franc, l'OMS, l'OM, arrivees, peche, des camions tue, un attentat"
