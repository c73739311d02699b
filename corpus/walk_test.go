package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"
)

// walkAll walks fsys and returns the reports by ID, the problems and the
// skipped files.
func walkAll(t *testing.T, fsys fstest.MapFS) (map[string]Report, []string, []string, WalkCounts) {
	t.Helper()
	reports := map[string]Report{}
	var problems, skipped []string
	st, err := WalkFS(context.Background(), fsys, Options{
		OnProblem: func(p Problem) { problems = append(problems, p.Error()) },
		OnSkip:    func(p, reason string) { skipped = append(skipped, p+": "+reason) },
	}, func(r Report) error {
		if _, dup := reports[r.ID]; dup {
			t.Errorf("report ID %q emitted twice", r.ID)
		}
		reports[r.ID] = r
		return nil
	})
	if err != nil {
		t.Fatalf("WalkFS: %v", err)
	}
	return reports, problems, skipped, st
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestWalkFSFormats(t *testing.T) {
	jsonl := `{"id": "j1", "title": "Un", "date": "2024-06-15", "country": "SN", "text": "Le Sénégal exporte."}
{"text": 42}

{"title": "Sans id", "countries": ["FR", "DE"], "body": "L'Allemagne et la France."}
{"id": 7, "content": "Texte.", "date": "2024-13"}
not json
`
	fsys := fstest.MapFS{
		"a.txt":              {Data: []byte(" date 2024-06 Le chef de l'armée israélienne à Manama.\n\nSuite au Bahreïn.")},
		"b/c.md":             {Data: []byte("  \n\n")},
		"b/d.md":             {Data: []byte("# Titre\n\nTexte sur le Japon, publié le 14 avril 2024.")},
		"latin1.txt":         {Data: []byte("title: R\xe9sum\xe9\n\nL'\xe9t\xe9 en \xc9gypte, l'\x9cuvre.")},
		"bom.txt":            {Data: append([]byte{0xEF, 0xBB, 0xBF}, []byte("date: 2023\n\nTexte.")...)},
		"utf16.txt":          {Data: utf16LE("title: Été\n\nLa Côte d'Ivoire.")},
		"binary.txt":         {Data: []byte{0x89, 'P', 'N', 'G', 0, 0, 1, 2, 3}},
		"r.jsonl":            {Data: []byte(jsonl)},
		"r.jsonl.gz":         {Data: gz(t, strings.NewReplacer(`"j1"`, `"g1"`, `7`, `8`).Replace(jsonl))},
		"arr.json":           {Data: []byte("[\n {\"text\": \"Un.\"},\n {\"text\": [1]},\n {\"id\": \"x\", \"text\": \"Trois en Inde.\"}\n]")},
		"one.json":           {Data: []byte(`{"text": "Seul.", "url": "https://example.org"}`)},
		"p.html":             {Data: []byte("<title>Page</title><p>Au Mali.</p><script>alert('Chine')</script>")},
		"t.txt.gz":           {Data: gz(t, "title: Gz\n\nTexte compressé sur le Canada.")},
		"bad.gz.txt.gz":      {Data: []byte("not gzip")},
		"image.png":          {Data: []byte("x")},
		"README":             {Data: []byte("x")},
		".hidden.txt":        {Data: []byte("caché")},
		".git/config.txt":    {Data: []byte("caché")},
		"sub/.cache/x.jsonl": {Data: []byte(`{"text": "caché"}`)},
	}
	reports, problems, skipped, st := walkAll(t, fsys)

	check := func(id, title, date string, countries []string) {
		t.Helper()
		r, ok := reports[id]
		if !ok {
			t.Errorf("no report %q; have %v", id, keys(reports))
			return
		}
		if r.Title != title || r.Date.String() != date || !slices.Equal(r.Countries, countries) {
			t.Errorf("report %q = title %q date %q countries %v; want %q %q %v", id, r.Title, r.Date, r.Countries, title, date, countries)
		}
		if r.Hash == "" || len(r.Mentions) != len(r.Countries) {
			t.Errorf("report %q: hash %q, mentions %v", id, r.Hash, r.Mentions)
		}
		if strings.Contains(r.Body, "date ") || strings.Contains(r.Body, "title:") {
			t.Errorf("report %q: header in body %q", id, r.Body)
		}
	}
	check("a.txt", "Le chef de l'armée israélienne à Manama.", "2024-06", []string{"IL", "BH"})
	check("b/d.md", "Titre", "2024-04-14", []string{"JP"})
	check("latin1.txt", "Résumé", "", []string{"EG"})
	check("bom.txt", "Texte.", "2023", nil)
	check("utf16.txt", "Été", "", []string{"CI"})
	check("j1", "Un", "2024-06-15", []string{"SN"})
	check("r.jsonl#4", "Sans id", "", []string{"FR", "DE"})
	check("7", "Texte.", "", nil)
	check("r.jsonl.gz#4", "Sans id", "", []string{"FR", "DE"})
	check("arr.json#1", "Un.", "", nil)
	check("x", "Trois en Inde.", "", []string{"IN"})
	check("one.json", "Seul.", "", nil)
	check("p.html", "Page", "", []string{"ML"})
	check("t.txt.gz", "Gz", "", []string{"CA"})
	if r := reports["latin1.txt"]; !strings.Contains(r.Body, "l'œuvre") {
		t.Errorf("latin1.txt body = %q; want Windows-1252 œ decoded", r.Body)
	}
	if r := reports["one.json"]; r.URL != "https://example.org" {
		t.Errorf("one.json URL = %q", r.URL)
	}
	if m := reports["a.txt"].Mentions; !slices.Equal(m, []int{1, 2}) {
		t.Errorf("a.txt mentions = %v; want [1 2]", m)
	}

	wantProblems := []string{
		"arr.json:3: element 2: field \"text\": want a string, got an array",
		"bad.gz.txt.gz: gzip:",
		"binary.txt: not a text file",
		"r.jsonl.gz:2: field \"text\": want a string, got a number",
		"r.jsonl.gz:5: date: \"2024-13\" is not a date",
		"r.jsonl.gz:6: invalid JSON",
		"r.jsonl:2: field \"text\": want a string, got a number",
		"r.jsonl:5: date: \"2024-13\" is not a date",
		"r.jsonl:6: invalid JSON",
	}
	slices.Sort(problems)
	if len(problems) != len(wantProblems) {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(wantProblems, "\n"))
	}
	for i := range problems {
		if !strings.HasPrefix(problems[i], wantProblems[i]) {
			t.Errorf("problem %d = %q; want it to start with %q", i, problems[i], wantProblems[i])
		}
	}
	slices.Sort(skipped)
	wantSkipped := []string{"README: no file extension", "b/c.md: no text", "image.png: unsupported format \".png\""}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped = %q; want %q", skipped, wantSkipped)
	}
	if st.Skipped != 3 || st.Failed != len(problems) || st.Reports != len(reports) || st.Files != 14 {
		t.Errorf("stats = %+v; want 14 files, 3 skipped, %d failed, %d reports", st, len(problems), len(reports))
	}
}

func keys(m map[string]Report) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestWalkOrderAndErrors(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, n := range []string{"b.txt", "a.txt", "c/z.txt", "c/a.txt", "B.txt", "d.jsonl"} {
		fsys[n] = &fstest.MapFile{Data: []byte("Texte de " + n)}
	}
	fsys["d.jsonl"] = &fstest.MapFile{Data: []byte("{\"text\": \"un\"}\n{\"text\": \"deux\"}\n")}
	var got []string
	_, err := WalkFS(context.Background(), fsys, Options{}, func(r Report) error {
		got = append(got, r.ID)
		return nil
	})
	want := []string{"B.txt", "a.txt", "b.txt", "c/a.txt", "c/z.txt", "d.jsonl#1", "d.jsonl#2"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("WalkFS order = %q, %v; want %q", got, err, want)
	}

	stop := errors.New("stop")
	n := 0
	_, err = WalkFS(context.Background(), fsys, Options{}, func(r Report) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("WalkFS with failing emit: err %v after %d reports; want stop after 2", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = WalkFS(ctx, fsys, Options{}, func(Report) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("WalkFS with canceled context: %v; want context.Canceled", err)
	}
}

func TestWalkDisk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("r/un.txt", "date: 2024-06-15\n\nAu Tchad.")
	write("r/sous/deux.txt", "En Chine.")
	write("r/.cache/trois.txt", "caché")
	write("autre/quatre.txt", "Au Pérou.")
	root := filepath.Join(dir, "r")
	if err := os.Symlink(root, filepath.Join(root, "sous", "boucle")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join(dir, "autre"), filepath.Join(root, "lien")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "absent.txt"), filepath.Join(root, "casse.txt")); err != nil {
		t.Fatal(err)
	}
	write("r/secret.txt", "illisible")
	if err := os.Chmod(filepath.Join(root, "secret.txt"), 0); err != nil {
		t.Fatal(err)
	}
	unreadable := true
	if f, err := os.Open(filepath.Join(root, "secret.txt")); err == nil {
		f.Close()
		unreadable = false // running as root
	}

	var ids, problems []string
	st, err := Walk(context.Background(), root, Options{OnProblem: func(p Problem) { problems = append(problems, p.Error()) }},
		func(r Report) error { ids = append(ids, r.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"lien/quatre.txt", "sous/deux.txt", "un.txt"}
	if !unreadable {
		wantIDs = []string{"lien/quatre.txt", "secret.txt", "sous/deux.txt", "un.txt"}
	}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("Walk IDs = %q; want %q", ids, wantIDs)
	}
	wantProblems := []string{filepath.Join(root, "casse.txt") + ": symbolic link:"}
	if unreadable {
		wantProblems = append(wantProblems, filepath.Join(root, "secret.txt")+": open:")
	}
	wantProblems = append(wantProblems, filepath.Join(root, "sous", "boucle")+": symbolic link loop")
	if len(problems) != len(wantProblems) {
		t.Fatalf("problems = %q; want %q", problems, wantProblems)
	}
	for i := range problems {
		if !strings.HasPrefix(problems[i], wantProblems[i]) {
			t.Errorf("problem %d = %q; want it to start with %q", i, problems[i], wantProblems[i])
		}
	}
	if st.Reports != len(ids) {
		t.Errorf("stats %+v; %d reports", st, len(ids))
	}

	// A single file: its ID is its base name.
	ids = nil
	if _, err := Walk(context.Background(), filepath.Join(root, "un.txt"), Options{}, func(r Report) error {
		ids = append(ids, r.ID+" "+r.Date.String())
		return nil
	}); err != nil || !slices.Equal(ids, []string{"un.txt 2024-06-15"}) {
		t.Errorf("Walk(file) = %q, %v; want [un.txt 2024-06-15]", ids, err)
	}
	if _, err := Walk(context.Background(), filepath.Join(dir, "nulle-part"), Options{}, func(Report) error { return nil }); err == nil {
		t.Errorf("Walk(missing root) = nil error")
	}
}

func TestLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"text": "court"}` + "\n")
	b.WriteString(`{"text": "`)
	b.WriteString(strings.Repeat("a", MaxLineSize))
	b.WriteString(`"}` + "\n")
	b.WriteString(`{"text": "après"}`)
	var bodies, problems []string
	_, err := WalkFS(context.Background(), fstest.MapFS{"l.jsonl": {Data: []byte(b.String())}},
		Options{OnProblem: func(p Problem) { problems = append(problems, p.Error()) }},
		func(r Report) error { bodies = append(bodies, r.Body); return nil })
	if err != nil || !slices.Equal(bodies, []string{"court", "après"}) {
		t.Errorf("bodies = %q, %v; want [court après]", bodies, err)
	}
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "l.jsonl:2: line longer than 64 MB") {
		t.Errorf("problems = %q; want the long line 2", problems)
	}
}

func TestJSONEncodings(t *testing.T) {
	fsys := fstest.MapFS{
		"latin1.jsonl": {Data: []byte("{\"text\": \"L'\xe9t\xe9 en \xc9gypte.\"}\n{\"text\": \"Deux.\"}\n")},
		"utf16.jsonl":  {Data: utf16LE("{\"text\": \"Été au Bahreïn.\"}\n{\"text\": \"Deux.\"}\n")},
		"utf16.json":   {Data: utf16LE(`[{"text": "Été en Israël."}]`)},
	}
	reports, problems, _, _ := walkAll(t, fsys)
	want := map[string]string{
		"latin1.jsonl#1": "L'été en Égypte.", "latin1.jsonl#2": "Deux.",
		"utf16.jsonl#1": "Été au Bahreïn.", "utf16.jsonl#2": "Deux.",
		"utf16.json#1": "Été en Israël.",
	}
	if len(problems) > 0 {
		t.Errorf("problems: %q", problems)
	}
	for id, body := range want {
		if got := reports[id].Body; got != body {
			t.Errorf("report %q body = %q; want %q", id, got, body)
		}
	}
	if len(reports) != len(want) {
		t.Errorf("reports %v; want %d", keys(reports), len(want))
	}
}
