package analyzers

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

func init() {
	if err := registry.RegisterTokenizer(TokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return newTokenizer(), nil
	}); err != nil {
		panic(err)
	}
	filters := map[string]registry.TokenFilterConstructor{
		StemmerName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return stemFilter{s: newStemmer()}, nil
		},
		StemFoldName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return stemFoldFilter{s: newStemFolder()}, nil
		},
		FoldName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{f: newFolder()}, nil
		},
		ElisionName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return elisionFilter{}, nil
		},
		StopName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return newStopFilter(), nil
		},
		OrdinalName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return ordinalFilter{}, nil
		},
		ExactRepeatName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return exactRepeatFilter{f: newFolder()}, nil
		},
		MarkName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return markFilter{}, nil
		},
		LowerName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return lowerFilter{}, nil
		},
		FrenchTermsName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return newFrenchTermsFilter(false), nil
		},
		IndexTermsName: func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return newFrenchTermsFilter(true), nil
		},
	}
	for name, c := range filters {
		if err := registry.RegisterTokenFilter(name, c); err != nil {
			panic(err)
		}
	}
	for name, chain := range chains {
		if err := registry.RegisterAnalyzer(name, analyzerConstructor(chain)); err != nil {
			panic(err)
		}
	}
}

// chains lists the token filters of each analyzer, after the TokenizerName
// tokenizer.
var chains = map[string][]string{
	FrenchName:     {LowerName, ElisionName, FrenchTermsName},
	ExactName:      {LowerName, ElisionName, FoldName},
	IndexName:      {LowerName, ElisionName, IndexTermsName},
	ExactQueryName: {LowerName, ElisionName, FoldName, MarkName},
}

func analyzerConstructor(chain []string) registry.AnalyzerConstructor {
	return func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(TokenizerName)
		if err != nil {
			return nil, fmt.Errorf("analyzers: tokenizer %s: %w", TokenizerName, err)
		}
		a := &analysis.DefaultAnalyzer{Tokenizer: tok}
		for _, name := range chain {
			f, err := cache.TokenFilterNamed(name)
			if err != nil {
				return nil, fmt.Errorf("analyzers: token filter %s: %w", name, err)
			}
			a.TokenFilters = append(a.TokenFilters, f)
		}
		return a, nil
	}
}
