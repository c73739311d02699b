package analyzers

import (
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names returns the names of the analyzers this package registers, in the
// order FrenchName, ExactName, IndexName, ExactQueryName.
func Names() []string {
	return []string{FrenchName, ExactName, IndexName, ExactQueryName}
}

var (
	analyzersOnce sync.Once
	analyzersErr  error
	builtAnalyzer map[string]analysis.Analyzer
)

func buildAnalyzers() {
	cache := registry.NewCache()
	builtAnalyzer = make(map[string]analysis.Analyzer)
	for _, name := range Names() {
		a, err := cache.AnalyzerNamed(name)
		if err != nil {
			analyzersErr = fmt.Errorf("analyzers: building %s: %w", name, err)
			return
		}
		builtAnalyzer[name] = a
	}
}

// Analyze returns the tokens that the analyzer named name makes of text,
// in order; it returns an empty slice for text without words. name must
// be one of Names(); any other name is an error that lists them.
func Analyze(name, text string) ([]Token, error) {
	analyzersOnce.Do(buildAnalyzers)
	if analyzersErr != nil {
		return nil, analyzersErr
	}
	a, ok := builtAnalyzer[name]
	if !ok {
		return nil, fmt.Errorf("analyzers: unknown analyzer %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	stream := a.Analyze([]byte(text))
	tokens := make([]Token, 0, len(stream))
	for _, t := range stream {
		tokens = append(tokens, Token{Term: string(t.Term), Position: t.Position, Start: t.Start, End: t.End})
	}
	return tokens, nil
}
