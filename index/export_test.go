package index

// SetRanking selects the ranking of the searches that follow, for the
// benchmarks of package index_test: "bleve" (Bleve's scoring, as before
// issue #13), "session1" (BM25F with the weights of session 1, without
// TitleK1, Coverage and Lead), "session2" (the ranking in use without
// AsTyped) or "" (the ranking in use). It returns
// a function restoring the ranking in use. Not safe with concurrent
// searches.
func SetRanking(kind string) (restore func()) {
	savedScoring, savedBleve := scoring, bleveRanking
	switch kind {
	case "bleve":
		bleveRanking = true
	case "session1":
		scoring = scoreParams{TitleWeight: 6, K1: 1.6, BTitle: 0.5, BBody: 0.5, Prox: 0.5, ProxScale: 8}
	case "session2":
		scoring.AsTyped = 0
	}
	return func() { scoring, bleveRanking = savedScoring, savedBleve }
}
