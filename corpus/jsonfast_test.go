package corpus

import (
	"bufio"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// checkFastRecord fails when fastRecord decodes data but not as
// decodeRecord does.
func checkFastRecord(t *testing.T, data []byte) (ok bool) {
	t.Helper()
	fast, ok := fastRecord(data)
	if !ok {
		return false
	}
	slow, err := decodeRecord(data)
	if err != nil || slow.listErr != nil {
		t.Errorf("fastRecord(%q) decoded, decodeRecord failed: %v, %v", data, err, slow.listErr)
		return true
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("fastRecord(%q) = %+v; decodeRecord: %+v", data, fast, slow)
	}
	return true
}

func TestFastRecord(t *testing.T) {
	cases := []struct {
		in   string
		fast bool // decoded by fastRecord
	}{
		{`{"id": "tv-1", "date": "2024-06-15", "title": "Un", "source": "France 2", "url": "https://x.fr/a", "text": "Le Sénégal."}`, true},
		{` { "id" : " a b " , "text":"x" } `, true},
		{`{}`, true},
		{"{\n\t\"text\": \"a\\nb\\t\\\"c\\\" \\\\ \\/ \\b\\f\\r\"\r\n}", true},
		{`{"country": "SN", "countries": "FR, DE", "text": "x"}`, true},
		{`{"country": "", "text": "x"}`, true},
		{`{"text": "un", "text": "deux"}`, true},
		{`{"body": "b", "content": "c", "text": ""}`, true},
		{`{"title": "un \"deux\"", "text": "x"}`, true},
		{`{"text": "\u00e9t\u00E9"}`, false},
		{`{"text": "\ud83d\ude00"}`, false},
		{`{"Text": "x"}`, false},
		{`{"channel": "TF1", "text": "x"}`, false},
		{`{"id": 12, "text": "x"}`, false},
		{`{"countries": ["SN", "FR"], "text": "x"}`, true},
		{`{"countries": [ ], "country": [" SN "], "text": "x"}`, true},
		{`{"countries": ["SN",], "text": "x"}`, false},
		{`{"countries": ["SN" "FR"], "text": "x"}`, false},
		{`{"countries": [1], "text": "x"}`, false},
		{`{"countries": [["SN"]], "text": "x"}`, false},
		{`{"countries": ["SN"`, false},
		{`{"title": null, "text": "x"}`, false},
		{`{"text": "x"} trailing`, false},
		{`{"text": "x"}{}`, false},
		{`{"text": "x",}`, false},
		{`{"text" "x"}`, false},
		{`{"text": "x"`, false},
		{`{"text": "x\`, false},
		{`{"text": "a` + "\x01" + `b"}`, false},
		{"{\"text\": \"caf\xe9\"}", false},
		{`{"text": "\x"}`, false},
		{`{"te\"xt": "x"}`, false},
		{`["text"]`, false},
		{``, false},
		{`{`, false},
	}
	for _, tc := range cases {
		if got := checkFastRecord(t, []byte(tc.in)); got != tc.fast {
			t.Errorf("fastRecord(%q) ok = %v; want %v", tc.in, got, tc.fast)
		}
	}
}

// TestFastRecordData checks fastRecord against encoding/json on the JSON
// Lines of the sample corpus and of tvnews-fr (its first 20,000 lines with
// -short): each line decoded the same way, and almost all by fastRecord
// (those of tvnews-fr but 5 that hold \u escapes).
func TestFastRecordData(t *testing.T) {
	files := []string{filepath.Join("sample", "reports", "economie", "economie-2022-2025.jsonl")}
	big := filepath.Join(sharedData, "tvnews-fr", "tvnews-fr.jsonl.gz")
	if _, err := os.Stat(big); err == nil {
		files = append(files, big)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		if filepath.Ext(name) == ".gz" {
			zr, err := gzip.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			sc = bufio.NewScanner(zr)
		}
		sc.Buffer(nil, MaxLineSize)
		lines, slow := 0, 0
		for sc.Scan() && !(testing.Short() && lines == 20000) {
			lines++
			if !checkFastRecord(t, sc.Bytes()) {
				slow++
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		if slow > lines/1000 {
			t.Errorf("%s: %d of %d lines not decoded by fastRecord", name, slow, lines)
		}
		t.Logf("%s: %d lines, %d left to encoding/json", name, lines, slow)
	}
}

func FuzzFastRecord(f *testing.F) {
	f.Add([]byte(`{"id": "a", "text": "b\n\"c\""}`))
	f.Add([]byte(`{"country": "SN", "countries": "FR", "title": "t", "date": "2024"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastRecord(t, data)
	})
}
