package index_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rapports/rapports/index"
)

// With a query, Document gives the byte offsets of its matches in the
// whole title and body, found with the analysis of Search: here every
// form of the words, typed without accents, but the phrase's words only
// where they stand in a row.
func ExampleIndex_Document() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	for _, q := range []string{"defense aerienne", `"défense aérienne"`} {
		d, err := idx.Document(ctx, "r1", index.DocumentOptions{Query: q})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s:", q)
		for _, m := range d.BodyMatches {
			fmt.Printf(" %q", d.Body[m.Start:m.End])
		}
		fmt.Println()
	}
	d, err := idx.Document(ctx, "r3", index.DocumentOptions{Query: `"défense aérienne"`, HTML: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.BodyHTML)
	// Output:
	// defense aerienne: "défenses" "aériennes"
	// "défense aérienne": "défenses" "aériennes"
	// L&#39;Allemagne veut une <mark>défense</mark> <mark>aérienne</mark> commune avec la Pologne.
}
