package sample_test

import (
	"fmt"
	"io/fs"

	"github.com/rapports/rapports/corpus/sample"
)

// The sample corpus keeps its reports in one folder per theme.
func ExampleFiles() {
	themes, err := fs.ReadDir(sample.Files(), ".")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range themes {
		fmt.Println(d.Name())
	}
	// Output:
	// climat
	// defense
	// diplomatie
	// economie
	// elections
	// energie
	// migrations
	// sante
}
