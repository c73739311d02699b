package index_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rapports/rapports/index"
)

// Following NextCursor pages through every hit, at any depth.
func ExampleIndex_Search_cursor() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	req := index.Request{Query: "défense", Sort: index.SortDateDesc, Size: 1}
	for {
		res, err := idx.Search(ctx, req)
		if err != nil {
			log.Fatal(err)
		}
		for _, h := range res.Hits {
			fmt.Println(h.ID, h.Date)
		}
		if res.NextCursor == "" {
			break
		}
		req.Cursor = res.NextCursor
	}
	// Output:
	// r1 2024-06
	// r2 2024-03-25
	// r3 2022-10-14
}

// A blank query with a filter lists the reports of the filter, newest
// first.
func ExampleIndex_Search_browse() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	res, err := idx.Search(ctx, index.Request{From: "2024"})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Date, h.Title)
	}
	// Output:
	// r1 2024-06 Coopération militaire régionale
	// r2 2024-03-25 Élection au Sénégal
}

// Scan calls back every hit, past the MaxWindow that paging stops at.
func ExampleIndex_Scan() {
	ctx := context.Background()
	idx := openWith(ctx, reports()...)
	defer idx.Close()
	n, err := idx.Scan(ctx, index.Request{Query: "défense", Sort: index.SortDate}, index.ScanOptions{}, func(r index.Record) error {
		fmt.Println(r.ID, r.Title, r.Countries)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "hits")
	// Output:
	// r3 Bouclier européen [DE PL]
	// r2 Élection au Sénégal [SN]
	// r1 Coopération militaire régionale [IL JO]
	// 3 hits
}
