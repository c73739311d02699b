package corpus_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/rapports/rapports/corpus"
)

func ExampleWalkFS() {
	fsys := fstest.MapFS{
		"2024/manama.txt": {Data: []byte(" date 2024-06 Le chef d'état-major de l'armée israélienne a rencontré à Manama ses homologues du Bahreïn.")},
		"2024/flux.jsonl": {Data: []byte(`{"id": "dk-1", "date": "14 avril 2024", "country": "EG", "text": "Au Caire, l'Égypte et la Jordanie..."}` + "\n" +
			`{"id": "dk-2", "date": "2024-13", "text": "Date impossible."}` + "\n")},
		"notes.xlsx": {Data: []byte("...")},
	}
	stats, err := corpus.WalkFS(context.Background(), fsys, corpus.Options{
		OnProblem: func(p corpus.Problem) { fmt.Println("problem:", p) },
		OnSkip:    func(path, reason string) { fmt.Println("skipped:", path, reason) },
	}, func(r corpus.Report) error {
		fmt.Println(r.ID, r.Date, r.Date.Precision, r.Countries, r.Mentions)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%d files, %d reports, %d skipped, %d problems\n", stats.Files, stats.Reports, stats.Skipped, stats.Failed)
	// Output:
	// dk-1 2024-04-14 day [EG JO] [2 1]
	// problem: 2024/flux.jsonl:2: date: "2024-13" is not a date (want YYYY, YYYY-MM or YYYY-MM-DD); the report is kept without a date
	// dk-2  none [] []
	// 2024/manama.txt 2024-06 month [IL BH] [1 2]
	// skipped: notes.xlsx unsupported format ".xlsx"
	// 2 files, 3 reports, 1 skipped, 1 problems
}

func ExampleFindCountries() {
	codes, counts := corpus.FindCountries("Les Émirats arabes unis, les États-Unis et le Royaume-Uni ; un diplomate émirati à Washington.")
	for i, c := range codes {
		fmt.Println(c, corpus.CountryName(c), counts[i])
	}
	// Output:
	// AE Émirats arabes unis 2
	// US États-Unis 2
	// GB Royaume-Uni 1
}

func ExampleParseDate() {
	for _, s := range []string{"mardi 2 janvier 2024", "1er mars 2023", "avril 2024", "15/06/2024", "31 février 2024"} {
		d, err := corpus.ParseDate(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(d, d.Precision)
	}
	// Output:
	// 2024-01-02 day
	// 2023-03-01 day
	// 2024-04 month
	// 2024-06-15 day
	// "31 février 2024" is not a date: no such day
}
