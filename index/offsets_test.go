package index

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"

	"github.com/rapports/rapports/corpus"
)

// TestOffsetsFromText indexes the same reports in Bleve's zapx v17
// segments, whose locations store their byte offsets, and in the fork's,
// whose locations hold positions only (the offsets then come from the
// stored text, offsets.go), and checks that every answer that shows
// matches is the same: fragments and their marks, titles, Hit.Pages with
// and without highlighting, a document's marks, and a suggestion.
func TestOffsetsFromText(t *testing.T) {
	ctx := context.Background()
	var reports []corpus.Report
	const docs = "../../shared/data/tvnews-fr/docs"
	_, err := corpus.Walk(ctx, docs, corpus.Options{}, func(r corpus.Report) error {
		if len(reports) == 600 {
			return errStopWalk
		}
		reports = append(reports, r)
		return nil
	})
	if err != nil && !errors.Is(err, errStopWalk) {
		t.Skipf("no corpus at %s: %v", docs, err)
	}
	paged := pagedReport("paged", 12, map[int]string{3: "Les drones armés.", 7: "Des drones armés encore : l'armée française.", 12: "drones"})
	part := pagedReport("long#p2", 3, map[int]string{2: "Les drones armés du Sahel."})
	part.FirstPage = 40
	reports = append(reports, paged, part,
		corpus.Report{ID: "joined", Title: "Élections : l'Assemblée nationale", Body: "Les armées.Virage à l'Élysée ; V.Poutine et 1 000 000 d'euros, jusqu'au 3.5 % de la réforme des retraites.", Date: mustDate("2021")})

	build := func(name string, seg map[string]any) *Index {
		saved := segmentConfig
		segmentConfig = seg
		defer func() { segmentConfig = saved }()
		idx, err := Open(filepath.Join(t.TempDir(), name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		for i := 0; i < len(reports); i += 200 {
			if err := idx.Add(ctx, reports[i:min(i+200, len(reports))]...); err != nil {
				t.Fatal(err)
			}
		}
		return idx
	}
	ref := build("v17", map[string]any{"forceSegmentType": "zap", "forceSegmentVersion": 17})
	fork := build("fork", segmentConfig)

	queries := []string{
		"France", "président", "réforme retraites", `"premier ministre"`, `"gilets jaunes"`,
		"exact:armée", "title:élections", "gouvern*", `"drones armés"~3`, "drones -mot012",
		"mot002 OR mot011", "délégation", "Assemblée nationale", "Poutine", "virage", "euros",
		"coupe du monde", "santé hôpital", "l'économie", "grève SNCF", "covid vaccin",
		"présidnt", // misspelled: a suggestion
	}
	// Scores differ slightly between the two formats (their field
	// lengths), so hits are compared by ID, scores aside.
	search := func(idx *Index, r Request) *Result {
		res, err := idx.Search(ctx, r)
		if err != nil {
			t.Fatalf("Search(%q): %v", r.Query, err)
		}
		return res
	}
	marked, compared := 0, 0
	for _, q := range queries {
		for _, hl := range []bool{true, false} {
			r := Request{Query: q, Highlight: hl, Size: 10}
			got, want := search(fork, r), search(ref, r)
			if got.Total != want.Total || got.Suggestion != want.Suggestion {
				t.Errorf("Search(%q): total %d, suggestion %q; zapx v17: %d, %q", q, got.Total, got.Suggestion, want.Total, want.Suggestion)
			}
			byID := map[string]Hit{}
			for _, h := range want.Hits {
				h.Score = 0
				byID[h.ID] = h
			}
			for _, h := range got.Hits {
				w, ok := byID[h.ID]
				if !ok {
					continue
				}
				h.Score = 0
				g, _ := json.Marshal(h)
				wb, _ := json.Marshal(w)
				if string(g) != string(wb) {
					t.Errorf("Search(%q, highlight %v): hit %s:\nfork   %s\nzapx17 %s", q, hl, h.ID, g, wb)
				}
				compared++
				marked += len(h.TitleMatches) + len(h.Pages)
				for _, f := range h.Fragments {
					marked += len(f.Matches)
				}
			}
		}
		res, err := ref.Search(ctx, Request{Query: q, Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			opts := DocumentOptions{Query: q, HTML: true}
			got, err1 := fork.Document(ctx, h.ID, opts)
			want, err2 := ref.Document(ctx, h.ID, opts)
			if err := errors.Join(err1, err2); err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("Document(%q, %q): marks differ:\nfork   %v %v\nzapx17 %v %v", h.ID, q, got.TitleMatches, got.BodyMatches, want.TitleMatches, want.BodyMatches)
			}
		}
	}
	if marked < 200 || compared < 200 {
		t.Errorf("%d hits compared, %d marks and pages in them: the test should have more", compared, marked)
	}
}

var errStopWalk = errors.New("enough reports")

// TestOpenOldSegmentFormat opens an index whose segments are of an older
// version of rapports' format (rapports-zap 1, with offsets in the
// locations): Open asks for a re-index rather than calling it damaged.
func TestOpenOldSegmentFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idx")
	idx, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Add(context.Background(), corpus.Report{ID: "r1", Title: "Rapport", Body: "La réforme des retraites.", Date: mustDate("2020")}); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	// The segments' version as Scorch records it in each snapshot.
	db, err := bolt.Open(filepath.Join(path, "store", "root.bolt"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		snaps := tx.Bucket(util.BoltSnapshotsBucket)
		if snaps == nil {
			return errors.New("no snapshots bucket")
		}
		n := 0
		err := snaps.ForEach(func(k, v []byte) error {
			meta := snaps.Bucket(k).Bucket(util.BoltMetaDataKey)
			if meta == nil {
				return nil
			}
			n++
			return meta.Put(util.BoltMetaDataSegmentVersionKey, binary.BigEndian.AppendUint32(nil, 1))
		})
		if err == nil && n == 0 {
			err = errors.New("no snapshot")
		}
		return err
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrIncompatible) || errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "re-index") {
		t.Errorf("Open of an index of rapports-zap 1 segments: error %v; want ErrIncompatible asking for a re-index", err)
	}
}

// TestPositionsAnalyzer checks what offsets.byPosition relies on: the
// index analyzer without its terms filter (positionsAnalyzer) gives every
// position of the whole analysis the offsets of its tokens there, on
// reports of tvnews-fr and on texts whose filters move positions and
// offsets (joined words, numbers, elisions, acronyms, zero-width spaces).
func TestPositionsAnalyzer(t *testing.T) {
	m := newMapping()
	full := m.AnalyzerNamed(m.AnalyzerNameForPath(fieldBody))
	pos := positionsAnalyzer(full)
	if pos == nil {
		t.Fatal("positionsAnalyzer(body's analyzer) = nil: offsets would take the whole analysis")
	}
	texts := []string{
		"Les armées.Virage à l'Élysée ; V.Poutine et 1 000 000 d'euros, jusqu'au 3.5 % de la réforme.",
		"L'O.N.U. et l'U.E. : aujourd'hui, lorsqu'il pleut, c'est l'hôpital qu'on ferme.",
		"Prix : 12,5 millions\u200bd'euros\u200b; Jean-François Le Drian, XXIe siècle, 2e tour.",
		"", "   ", "«Élections» — l’Assemblée nationale (AN) a voté. Fin.",
	}
	_, err := corpus.Walk(context.Background(), "../../shared/data/tvnews-fr/docs", corpus.Options{}, func(r corpus.Report) error {
		if len(texts) == 400 {
			return errStopWalk
		}
		texts = append(texts, r.Title, r.Body)
		return nil
	})
	if err != nil && !errors.Is(err, errStopWalk) {
		t.Logf("no tvnews-fr reports (%v): the fixed texts only", err)
	}
	checked := 0
	for _, text := range texts {
		type span struct{ start, end int }
		at := map[int]span{}
		for _, tok := range pos.Analyze([]byte(text)) {
			s := span{tok.Start, tok.End}
			if old, ok := at[tok.Position]; ok && old != s {
				at[tok.Position] = span{-1, -1} // ambiguous: byPosition then declines
				continue
			}
			at[tok.Position] = s
		}
		for _, tok := range full.Analyze([]byte(text)) {
			s, ok := at[tok.Position]
			if s == (span{-1, -1}) {
				continue
			}
			if !ok || s != (span{tok.Start, tok.End}) {
				t.Errorf("%.60q: token %q at %d: offsets %d-%d, positions analyzer %v (%v)", text, tok.Term, tok.Position, tok.Start, tok.End, s, ok)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d tokens checked", checked)
	}
}
