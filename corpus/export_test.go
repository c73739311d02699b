package corpus

// For the external tests (package corpus_test) that index generated PDFs.
var (
	FrenchPDF   = frenchPDF
	FrenchPages = frenchPages
)
