// Package analyzers registers with Bleve the French analysis of rapports,
// so that any index mapping can name it. Importing the package (or using
// one of its name constants) registers:
//
//   - the analyzers FrenchName (search), ExactName (exact forms), IndexName
//     (indexed text fields) and ExactQueryName (exact queries against an
//     IndexName field);
//   - the tokenizer TokenizerName and the token filters LowerName,
//     ElisionName, StopName, OrdinalName, StemmerName, StemFoldName,
//     FoldName, ExactRepeatName and MarkName, which other mappings can
//     reuse, and FrenchTermsName and IndexTermsName, which do in one pass
//     (one cache lookup per word) what StopName, OrdinalName, StemFoldName
//     and, for the index, ExactRepeatName do in a chain.
//
// Analyze and Names expose the analyzers to the command line and the
// HTTP server.
//
// # Chains
//
// Every analyzer starts with TokenizerName, which gives exactly the tokens
// of Bleve's "unicode" tokenizer (Unicode word boundaries: "l’armée" is
// one token, "États-Unis" two at consecutive positions, "3,5" one) but
// segments Latin text itself, several times faster; text with other
// scripts goes to Bleve's tokenizer. Then:
//
//	FrenchName:     lower, elision, stop words, ordinals, stem+fold
//	ExactName:      lower, elision, fold
//	IndexName:      lower, elision, exact repeat, stop words, ordinals, stem+fold
//	ExactQueryName: lower, elision, fold, marker
//
// (FrenchName and IndexName run the last filters of their chain as
// FrenchTermsName and IndexTermsName; tests check that the tokens are the
// same.) The filters that cache their results give terms that share the
// cached bytes: a filter placed after them must not modify terms in place.
//
// Elision removes l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu'
// quoiqu', in any case, written with ' or ’ (or ‘ and ʼ, which some texts
// use instead), and moves the token's start past the apostrophe, so that
// highlights cover "armée" and not "l’armée".
// Folding happens in token filters, never in a character filter, so byte
// offsets always point into the original text.
//
// # Unicode in words
//
// Characters that real files carry inside or around words are normalized
// in the terms, never in the text, so offsets stay exact: format
// characters (soft hyphen "mini\u00adstre", zero-width joiner and
// non-joiner, word joiner, direction marks U+200E, U+202A…U+202E,
// U+2066…U+2069, byte order mark) are removed from words, and a highlight
// does not cover those at a word's ends; the parts of a word that a
// zero-width space splits ("pré\u200bsident", two words by the Unicode
// rules) are joined into one token; full-width letters and apostrophe
// ("ＲＥＰＵＢＬＩＱＵＥ", "l＇artillerie") read as ASCII; the ligatures ﬀ ﬁ ﬂ
// ﬃ ﬄ ﬅ ﬆ as their letters ("ﬁnance" is "finance"); decomposed accents
// (NFD) are composed (NFC) before stemming. No-break spaces (U+00A0,
// U+202F) separate words as spaces do.
//
// # Accents and stemming
//
// Snowball's French rules read accents: "sécurité" stems to "sécur" but
// "securite" to "securit". Stemming then folding keeps the reference's
// conflations but loses the match between a word and its unaccented form;
// folding then stemming finds every unaccented form but breaks a fifth of
// the reference's conflations. StemFoldName does both: a word gives
// fold(stem(w)) and, at the same position when it differs, stem(fold(w))
// (folded again). An unaccented query gives stem(w), which is the second
// term of its accented form, so accents never prevent a match; an accented
// query gives both terms, so it finds what stemming the accented word
// finds. Since both terms share the position and Bleve's phrase queries OR
// the terms of one position, phrases work the same way. Stop words are
// removed when their folded form is a stop word ("dès" like "des"), so a
// query typed without accents removes the same words.
//
// Measured on the 2018 Snowball French vocabulary (20,805 words; see
// TestAccentStrategy): every word shares a term with its unaccented and
// upper-case forms; 99.89% of the pairs of words the reference stems alike
// share a term (stem then fold: 99.89%, fold then stem: 78.96%; the place
// names left unstemmed, see below, cost 3 pairs); 807 pairs of words the
// reference stems differently share a term (stem then fold: 540, fold then
// stem: 712). Through the whole FrenchName analyzer, on the 20,602 words
// that are not stop words: 100%, 99.89% and 767 pairs.
//
// A few place names are not stemmed, because Snowball gives them the stem
// of unrelated common words: "Mali" would find "mal", "Gaza" "gaz",
// "Crimée" "crime", "Cuba" "cube". They give their folded form.
//
// # Exact forms in one field
//
// IndexName emits, before FrenchName's terms and at the same position,
// the folded exact form of every word, stop words included, prefixed with
// ExactMarker ("=missiles"). The tokenizer never emits the marker, so a
// marked term never collides with a stem. Ordinary queries are analyzed
// with FrenchName; exact queries with ExactQueryName, which gives marked
// exact forms, so "missile" does not find "missiles"; a prefix query
// "secu*" is run against ExactMarker+fold("secu").
//
// # Numbers and ordinals
//
// Numbers are not stemmed: "14", "2024", "3,5" and "covid19" stay as they
// are, "2024-06" gives "2024" and "06" at consecutive positions. A number
// is one term however French writes it: the groups that a space, a
// no-break space (U+00A0), a narrow no-break space (U+202F) or a thin space
// separate are joined into one token covering the whole number ("1 500",
// "1\u202f500" and "1500" give "1500"; "2 000 000,5" gives "2000000,5"),
// dots between groups of three digits are removed ("1.500" gives "1500")
// and a single decimal dot is written as the French comma ("2.5" gives
// "2,5", as "2,5" does). The first group has one to three digits and the
// others exactly three, so "2024 500" and phone numbers stay apart; dates
// and versions with several dots ("14.07.2024") are left as written. Acronyms
// are lowercased, dotted ones joined ("ONU" and "O.N.U." give "onu"). Numeric ordinals are written in one
// form: "1er", "1re", "1ère" give "1er"; "2e", "2ème", "2eme", "2nd" give
// "2e".
//
// # Speed
//
// The filters keep what they compute for a word in a bounded, sharded
// cache, safe for concurrent use (64 shards of two generations of 4,096
// words; frequent words survive, rare ones age out), so that Snowball runs
// once per distinct word rather than once per word. TokenizerName and
// LowerName avoid Bleve's per-rune work on ASCII and Latin text.
// BenchmarkAnalyze compares the analyzers with Bleve's "fr" analyzer on
// real French news text.
package analyzers
