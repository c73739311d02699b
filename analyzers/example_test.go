package analyzers_test

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/rapports/rapports/analyzers"
)

func ExampleAnalyze() {
	tokens, err := analyzers.Analyze(analyzers.FrenchName, "L’armée des États-Unis")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tokens {
		fmt.Println(t.Term, t.Position, t.Start, t.End)
	}
	// Output:
	// armée 1 4 10
	// état 3 15 21
	// unir 4 22 26
}

func ExampleAnalyze_index() {
	tokens, err := analyzers.Analyze(analyzers.IndexName, "la sécurité")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tokens {
		fmt.Println(t.Term, t.Position)
	}
	// Output:
	// =la 1
	// =securite 2
	// sécurité 2
}

// A mapping names the analyzers like Bleve's own: index text with
// IndexName, and search it with FrenchName, or with ExactQueryName for
// exact forms.
func Example_mapping() {
	m := bleve.NewIndexMapping()
	body := bleve.NewTextFieldMapping()
	body.Analyzer = analyzers.IndexName
	m.DefaultMapping.AddFieldMappingsAt("body", body)
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer idx.Close()
	if err := idx.Index("r1", map[string]any{"body": "Les missiles de l’armée"}); err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range []struct{ text, analyzer string }{
		{"missile", analyzers.FrenchName},
		{"ARMEE", analyzers.FrenchName},
		{"missile", analyzers.ExactQueryName},
		{"missiles", analyzers.ExactQueryName},
	} {
		mq := bleve.NewMatchQuery(q.text)
		mq.SetField("body")
		mq.Analyzer = q.analyzer
		res, err := idx.Search(bleve.NewSearchRequest(mq))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s (%s): %d\n", q.text, q.analyzer, res.Total)
	}
	// Output:
	// missile (rapports_fr): 1
	// ARMEE (rapports_fr): 1
	// missile (rapports_fr_exact_query): 0
	// missiles (rapports_fr_exact_query): 1
}
