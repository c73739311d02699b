package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
	"github.com/rapports/rapports/server/web"
)

// The browser test drives headless Chromium through the page: set
// CHROME_PATH to pick the browser, RAPPORTS_SCREENSHOTS to keep the
// screenshots in a folder of your choice.

// findChrome returns the path of a Chromium or Chrome, or "".
func findChrome() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// xssID is the report whose title and body carry HTML and scripts.
const (
	xssID    = "notes/2024/alerte & <script>.txt"
	xssDate  = "2024-06-12"
	xssTitle = `Alerte <script>alert("titre")</script> & « guillemets » sur la coopération`
)

const xssBody = "Note sur la coopération sécuritaire avec Israël.\n\n" +
	"Le message intercepté contenait <script>window.__pwned = 1</script> et " +
	"<img src=x onerror=\"window.__pwned = 2\"> ainsi que <b>du gras</b>.\n\n" +
	"La coopération continue."

// testReports is the corpus of the browser test: 20 reports on
// "coopération" over 2022-2024 and several countries, a few others, and one
// carrying HTML.
func testReports() []corpus.Report {
	sets := [][]string{{"IL", "BH"}, {"JO"}, {"EG", "IL"}, {"SA"}, {"FR", "US"}, {"BH"}, {"IL"}}
	var out []corpus.Report
	for i := range 19 {
		cs := sets[i%len(sets)]
		names := make([]string, len(cs))
		for j, c := range cs {
			names[j] = countryNames[c]
		}
		d, err := corpus.MakeDate(2022+i%3, 1+i%12, 1+i)
		if err != nil {
			panic(err)
		}
		out = append(out, corpus.Report{
			ID:        fmt.Sprintf("rapports/%02d.txt", i+1),
			Path:      fmt.Sprintf("rapports/%02d.txt", i+1),
			Title:     fmt.Sprintf("Réunion n°%d sur la coopération régionale", i+1),
			Date:      d,
			Countries: slices.Clone(cs),
			Source:    "Bulletin de veille",
			Body: fmt.Sprintf("Les délégués de %s se sont réunis pour la réunion n°%d. "+
				"La coopération militaire et la défense aérienne étaient au menu des discussions, "+
				"avec l’alerte précoce et l’échange de renseignements.", strings.Join(names, " et de "), i+1),
		})
	}
	for i, body := range []string{
		"Les élections au Sénégal se sont tenues dans le calme.",
		"Le budget de la France pour l’année prochaine prévoit une hausse des dépenses.",
		"L’Iran a annoncé de nouveaux essais de missiles.",
		"Pour défendre leurs intérêts, les coopératives agricoles veulent coopérer.",
	} {
		out = append(out, corpus.Report{
			ID: fmt.Sprintf("autres/%d.txt", i+1), Path: fmt.Sprintf("autres/%d.txt", i+1),
			Title: strings.SplitN(body, " ", 5)[3] + " : note", Date: corpus.Date{Time: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), Precision: corpus.Month},
			Countries: []string{[]string{"SN", "FR", "IR", "FR"}[i]}, Body: body,
		})
	}
	d, err := corpus.ParseISODate(xssDate)
	if err != nil {
		panic(err)
	}
	out = append(out, corpus.Report{
		ID: xssID, Path: xssID, Title: xssTitle,
		Date: d, Countries: []string{"IL"}, Source: "Veille <i>interne</i>",
		URL: "javascript:alert(1)", Body: xssBody,
	})
	return out
}

// countryNames names the countries in the bodies of testReports.
var countryNames = map[string]string{
	"IL": "Israël", "BH": "Bahreïn", "JO": "Jordanie", "EG": "Égypte", "SA": "Arabie saoudite",
	"FR": "France", "US": "États-Unis",
}

// startSite serves the page and the API (the real server over an index in
// memory) over the test corpus.
func startSite(t *testing.T) *httptest.Server {
	t.Helper()
	return startSiteWith(t, testReports())
}

// startSiteWith serves the page and the API over reports.
func startSiteWith(t *testing.T, reports []corpus.Report) *httptest.Server {
	t.Helper()
	ix, err := index.OpenMemory()
	if err != nil {
		t.Fatalf("OpenMemory: %v", err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Errorf("closing the index: %v", err)
		}
	})
	if err := ix.Add(t.Context(), reports...); err != nil {
		t.Fatalf("indexing the test corpus: %v", err)
	}
	srv := httptest.NewServer(server.New(ix, server.Options{}, nil))
	t.Cleanup(srv.Close)
	return srv
}

// apiSearch asks the API directly, as the page should.
func apiSearch(t *testing.T, base string, v url.Values) index.Result {
	t.Helper()
	v.Set("highlight", "true")
	if v.Get("size") == "" {
		v.Set("size", "10")
	}
	res, err := http.Get(base + "/api/search?" + v.Encode())
	if err != nil {
		t.Fatalf("GET /api/search?%s: %v", v.Encode(), err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET /api/search?%s: status %d", v.Encode(), res.StatusCode)
	}
	var r index.Result
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("GET /api/search?%s: %v", v.Encode(), err)
	}
	return r
}

// countryRow is one row of the country facet as the page shows it.
type countryRow struct {
	Code    string `json:"code"`
	Checked bool   `json:"checked"`
	Name    string `json:"name"`
	Count   string `json:"count"`
}

// pageState is what the results view shows.
type pageState struct {
	Search    string `json:"search"`
	Total     int    `json:"total"`
	Summary   string `json:"summary"`
	IDs       []string
	Titles    []string
	Countries []countryRow `json:"countries"`
	Bars      []string     `json:"bars"`
	Chips     []string     `json:"chips"`
	Error     string       `json:"error"`
	From      string       `json:"from"`
	To        string       `json:"to"`
	Sort      string       `json:"sort"`
}

const readPage = `(() => {
  const $ = (s) => document.querySelector(s);
  const all = (s) => [...document.querySelectorAll(s)];
  const total = $('#total');
  return {
    search: location.search,
    total: total ? parseInt(total.dataset.total, 10) : -1,
    summary: $('#summary').textContent,
    IDs: all('#hits a.doc-link').map((a) => a.dataset.id),
    Titles: all('#hits a.doc-link').map((a) => a.textContent),
    countries: all('#countries li').filter((li) => li.querySelector('input')).map((li) => ({
      code: li.querySelector('input').value,
      checked: li.querySelector('input').checked,
      name: li.querySelector('.name').textContent,
      count: li.querySelector('.count').textContent,
    })),
    bars: all('#histogram .bar').map((b) => b.dataset.period),
    chips: all('#chips button').map((b) => b.textContent),
    error: $('#error').hidden ? '' : $('#error').textContent,
    from: $('#from').value, to: $('#to').value, sort: $('#sort').value,
  };
})()`

// contrastCheck lists the texts of the results page whose contrast ratio
// (WCAG 2) with the background they are drawn on is under 4.5.
const contrastCheck = `(() => {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (e) => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
  };
  const out = [];
  for (const sel of ['#summary #total', '#summary .took', '#hits h2 a', '#hits .meta-line time', '#hits .fragment',
      '#hits mark', '#countries .name', '#countries .count', '.hint', '#pages .page', '#pages .current',
      '#search button', '#q', '.sort label', '.facets h2', 'label[for=from]', '#chips .chip']) {
    for (const e of document.querySelectorAll(sel)) {
      if (!e.offsetParent) continue;
      const fg = lum(rgb(getComputedStyle(e).color).slice(0, 3));
      const bg = lum(background(e));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5) out.push(sel + ' ' + ratio.toFixed(2) + ' ' + getComputedStyle(e).color + ' on ' + background(e));
      break;
    }
  }
  return out;
})()`

// browser drives one tab.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// do runs the steps, failing the test with what was being done.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// poll waits until the JavaScript expression is truthy. Right after a
// navigation, the page's previous JavaScript context may still be named
// and then gone: poll tries again in the new one.
func (b *browser) poll(expr string) error {
	var err error
	for range 5 {
		_, err = chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second)))
		if err == nil || !strings.Contains(err.Error(), "Cannot find context") {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// waitRendered waits until the page has rendered a URL whose query
// contains every one of want (and none of the absent ones, written "!x"),
// then returns what it shows.
func (b *browser) waitRendered(want ...string) pageState {
	b.t.Helper()
	var conds []string
	for _, w := range want {
		if neg, ok := strings.CutPrefix(w, "!"); ok {
			conds = append(conds, fmt.Sprintf("!location.search.includes(%q)", neg))
		} else {
			conds = append(conds, fmt.Sprintf("location.search.includes(%q)", w))
		}
	}
	expr := "document.body.dataset.rendered === location.search"
	if len(conds) > 0 {
		expr += " && " + strings.Join(conds, " && ")
	}
	if err := b.poll(expr); err != nil {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("location.search + ' rendered=' + document.body.dataset.rendered"))
		b.t.Fatalf("waiting for the page to render a URL with %q: %v (at %s)", want, err, got)
	}
	return eval[pageState](b, readPage)
}

// screenshot saves a full-page PNG and logs its path.
func (b *browser) screenshot(dir, name string) {
	b.t.Helper()
	b.shoot(dir, name, chromedp.FullScreenshot(100))
}

// shoot saves the PNG that shot takes and logs its path.
func (b *browser) shoot(dir, name string, shot chromedp.Action[[]byte]) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

// checkAgainstAPI compares the results the page shows with the API's
// answer to the same search.
func checkAgainstAPI(t *testing.T, what string, got pageState, want index.Result) {
	t.Helper()
	if got.Total != int(want.Total) {
		t.Errorf("%s: page shows total %d (%q); API says %d", what, got.Total, got.Summary, want.Total)
	}
	var ids []string
	for _, h := range want.Hits {
		ids = append(ids, h.ID)
	}
	if !slices.Equal(got.IDs, ids) {
		t.Errorf("%s: page lists\n%q\nAPI lists\n%q", what, got.IDs, ids)
	}
	for _, c := range want.Facets.Country {
		i := slices.IndexFunc(got.Countries, func(g countryRow) bool { return g.Code == c.Code })
		if i < 0 {
			t.Errorf("%s: country facet lacks %s (%s, %d); page has %+v", what, c.Code, c.Name, c.Count, got.Countries)
			continue
		}
		// Without a name from the API, the page names the country itself.
		if g := got.Countries[i]; g.Name != c.Name && (c.Name != "" || g.Name == "" || g.Name == c.Code) ||
			g.Count != fmt.Sprint(c.Count) {
			t.Errorf("%s: country facet row %s = %q %q; API says %q %d", what, c.Code, g.Name, g.Count, c.Name, c.Count)
		}
	}
	for _, d := range want.Facets.Date {
		if !slices.Contains(got.Bars, d.Period) {
			t.Errorf("%s: histogram lacks a bar for %s; has %q", what, d.Period, got.Bars)
		}
	}
}

// needChrome returns the path of Chromium, or skips the test saying why.
func needChrome(t *testing.T) string {
	t.Helper()
	chrome := findChrome()
	if chrome == "" {
		t.Skip("no Chromium found (looked for $CHROME_PATH, chromium, chromium-browser, google-chrome, " +
			"google-chrome-stable in PATH): install it (apt-get install -y chromium) to run the browser test")
	}
	return chrome
}

// startBrowser starts headless Chromium for the test, or skips the test
// when there is none. Exceptions thrown by the page fail the test.
func startBrowser(t *testing.T, base string) *browser {
	t.Helper()
	chrome := needChrome(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)

	// The first run starts the browser: it must not have a shorter timeout.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium %s: %v", chrome, err)
	}
	var (
		mu         sync.Mutex
		exceptions []string
	)
	go func() {
		for m, err := range chromedp.Console(bctx) {
			if err != nil {
				return
			}
			// A violation of the Content-Security-Policy is logged, not thrown.
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				exceptions = append(exceptions, m.String())
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range exceptions {
			t.Errorf("JavaScript exception or CSP violation in the page: %s", e)
		}
	})
	return &browser{t: t, ctx: bctx, base: base}
}

func TestBrowser(t *testing.T) {
	needChrome(t)
	site := startSite(t)
	base := site.URL
	shots := os.Getenv("RAPPORTS_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t, base)

	// Home: the stats of the index.
	b.do("opening the home page", chromedp.Navigate(base+"/"))
	b.waitRendered()
	b.screenshot(shots, "home-desktop.png")
	stats := eval[string](b, `document.getElementById('stats').textContent`)
	if want := fmt.Sprint(len(testReports())) + " rapports indexés"; !strings.Contains(stats, want) {
		t.Errorf("home page stats = %q; want it to contain %q", stats, want)
	}

	// Type a query.
	b.do("typing a query",
		chromedp.SendKeys(chromedp.CSS("#q"), "coopération"),
		chromedp.Click(chromedp.CSS("#go")))
	all := b.waitRendered("q=coop%C3%A9ration")
	wantAll := apiSearch(t, base, url.Values{"q": {"coopération"}})
	checkAgainstAPI(t, "query coopération", all, wantAll)
	if all.Total < 11 {
		t.Fatalf("query coopération: %d results; the test corpus should give more than a page", all.Total)
	}
	if !strings.Contains(all.Summary, "résultats") || !strings.Contains(all.Summary, "ms") {
		t.Errorf("summary = %q; want a count of résultats and a time in ms", all.Summary)
	}
	// A screen reader hears the count when the results change, not the
	// time the search took.
	if live := eval[string](b, `(() => {
		const s = document.getElementById('summary');
		return s.getAttribute('aria-live') + ' ' + [...s.childNodes].filter((n) => !(n.getAttribute && n.getAttribute('aria-hidden') === 'true')).map((n) => n.textContent).join('');
	})()`); live != fmt.Sprintf("polite %d résultats", all.Total) {
		t.Errorf("summary read out as %q; want %q", live, fmt.Sprintf("polite %d résultats", all.Total))
	}
	marks := eval[int](b, `document.querySelectorAll('#hits .fragment mark').length`)
	if marks == 0 {
		t.Errorf("no <mark> in the snippets of the results")
	}
	// Titles and snippets are text with <mark> elements: no markup or
	// entity may show.
	texts := eval[[]string](b, `[...document.querySelectorAll('#hits h2, #hits .fragment')].map((e) => e.textContent)`)
	for _, s := range texts {
		if strings.Contains(s, "<mark>") || strings.Contains(s, "</mark>") || strings.Contains(s, "&lt;") || strings.Contains(s, "&amp;") || strings.Contains(s, "&#") {
			t.Errorf("a result shows markup as text: %q", s)
		}
	}
	b.screenshot(shots, "results-desktop.png")

	// The text is legible in the light and in the dark colour scheme:
	// contrast of 4.5 at least against the background it is drawn on.
	scheme := func(dark string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: dark}}})
			return err
		})
	}
	for _, dark := range []string{"light", "dark"} {
		b.do("emulating the "+dark+" colour scheme", scheme(dark))
		low := eval[[]string](b, contrastCheck)
		if len(low) > 0 {
			t.Errorf("%s colour scheme: text with too little contrast: %q", dark, low)
		}
		if dark == "dark" {
			if bg := eval[string](b, `getComputedStyle(document.body).backgroundColor + ' ' + getComputedStyle(document.documentElement).backgroundColor`); !strings.Contains(bg, "rgb(18, 22, 29)") {
				t.Errorf("dark colour scheme: the page background is %s; want the dark one", bg)
			}
			b.screenshot(shots, "results-dark.png")
		}
	}
	b.do("emulating no colour scheme", scheme(""))

	// The skip links move the focus past the search bar or the filters,
	// without a new history entry.
	before := eval[int](b, `history.length`)
	for _, skip := range []struct{ link, target, next string }{
		{`a.skip[href="#main"]`, "main", ""},
		{"#skip-results", "results", "sort"},
	} {
		b.do("following "+skip.link, chromedp.Focus(chromedp.CSS(skip.link)), chromedp.KeyEvent("\r"))
		got := eval[struct {
			Active, Hash string
			History      int
		}](b, `({Active: document.activeElement.id, Hash: location.hash, History: history.length})`)
		if got.Active != skip.target || got.Hash != "" || got.History != before {
			t.Errorf("following %s: focus on %q, hash %q, history %d long; want focus on %q, no hash, history %d long",
				skip.link, got.Active, got.Hash, got.History, skip.target, before)
		}
		if skip.next == "" {
			continue
		}
		b.do("pressing Tab", chromedp.KeyEvent("\t"))
		if id := eval[string](b, `document.activeElement.id`); id != skip.next {
			t.Errorf("Tab after %s: focus on %q; want %q, before the filters", skip.link, id, skip.next)
		}
	}

	// Every control has an accessible name, and the focus is visible.
	unnamed := eval[[]string](b, `[...document.querySelectorAll('input, select, button, a[href]')]
		.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
		.map((e) => e.outerHTML.slice(0, 80))`)
	if len(unnamed) > 0 {
		t.Errorf("controls without an accessible name: %q", unnamed)
	}
	b.do("tabbing from the sort order", chromedp.Focus(chromedp.CSS("#sort")), chromedp.KeyEvent("\t"))
	outline := eval[string](b, `document.activeElement.tagName + ' ' + getComputedStyle(document.activeElement).outlineStyle`)
	if !strings.HasSuffix(outline, "solid") {
		t.Errorf("the focused element after Tab (%s) has no visible outline", outline)
	}

	// Tick a country: the results narrow, the facet still shows the others.
	b.do("ticking Israël", chromedp.Click(chromedp.CSS("#country-IL")))
	il := b.waitRendered("country=IL")
	wantIL := apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL"}})
	checkAgainstAPI(t, "country IL", il, wantIL)
	if il.Total >= all.Total {
		t.Errorf("ticking Israël: total %d; want fewer than %d", il.Total, all.Total)
	}
	others := 0
	for _, c := range il.Countries {
		if c.Code == "IL" && !c.Checked {
			t.Errorf("ticking Israël: its checkbox is not checked")
		}
		if c.Code != "IL" && !c.Checked && c.Count != "" && c.Count != "0" {
			others++
		}
	}
	if others == 0 {
		t.Errorf("ticking Israël: the country facet no longer shows other countries: %+v", il.Countries)
	}
	if !slices.Contains(il.Chips, "Israël×") {
		t.Errorf("ticking Israël: chips = %q; want one for Israël", il.Chips)
	}

	// Click the date bar of the report that carries HTML (a year or a
	// month, as the index chose).
	period := ""
	for _, d := range wantIL.Facets.Date {
		if strings.HasPrefix(xssDate, d.Period) {
			period = d.Period
		}
	}
	if period == "" {
		t.Fatalf("country IL: no bar holds %s in the API's date facet %+v", xssDate, wantIL.Facets.Date)
	}
	b.do("clicking the "+period+" bar", chromedp.Click(chromedp.CSS(`#histogram .bar[data-period="`+period+`"]`)))
	y := b.waitRendered("country=IL", "from="+period, "to="+period)
	wantY := apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL"}, "from": {period}, "to": {period}})
	checkAgainstAPI(t, "country IL, "+period, y, wantY)
	if y.Total >= il.Total || y.Total == 0 {
		t.Errorf("clicking %s: total %d; want between 1 and %d", period, y.Total, il.Total-1)
	}
	if y.From != period || y.To != period {
		t.Errorf("clicking %s: date inputs %q–%q; want %s–%s", period, y.From, y.To, period, period)
	}
	if len(y.Chips) != 3 { // Israël, the period, "Tout effacer"
		t.Errorf("clicking %s: chips = %q; want Israël, the period and Tout effacer", period, y.Chips)
	}
	i := slices.Index(y.IDs, xssID)
	if i < 0 {
		t.Fatalf("country IL, %s: %q not among the results %q", period, xssID, y.IDs)
	}
	if got, want := y.Titles[i], xssTitle; got != want {
		t.Errorf("country IL, %s: the title of %q reads %q; want %q", period, xssID, got, want)
	}

	// Follow the link to the report that carries HTML.
	b.do("following the document link", chromedp.Click(chromedp.CSS(`#hits a.doc-link[data-id="`+strings.ReplaceAll(xssID, `"`, `\"`)+`"]`)))
	b.waitRendered("doc=")
	doc := eval[struct {
		Title, Body, Back, Marked, Source, URLTag string
		Elements, Marks                           int
		Pwned                                     bool
	}](b, `({
		Title: document.getElementById('doc-title').textContent,
		Body: document.getElementById('doc-body').textContent,
		Back: document.getElementById('back').getAttribute('href'),
		Marked: [...document.querySelectorAll('#doc-body mark')].map((m) => m.textContent).join(' '),
		Source: document.getElementById('doc-meta').textContent,
		URLTag: [...document.querySelectorAll('#doc-meta a')].map((a) => a.href).join(' '),
		Elements: document.querySelectorAll('#doc-view script, #doc-view img, #doc-view b, #doc-view i').length,
		Marks: document.querySelectorAll('#doc-body mark').length,
		Pwned: window.__pwned !== undefined,
	})`)
	if want := xssTitle; doc.Title != want {
		t.Errorf("document title = %q; want %q", doc.Title, want)
	}
	for _, want := range []string{`<script>window.__pwned = 1</script>`, `<img src=x onerror="window.__pwned = 2">`, "<b>du gras</b>"} {
		if !strings.Contains(doc.Body, want) {
			t.Errorf("document body does not show %q as text; body = %q", want, doc.Body)
		}
	}
	if doc.Elements != 0 || doc.Pwned {
		t.Errorf("document HTML was interpreted: %d script/img/b/i elements, script ran: %v", doc.Elements, doc.Pwned)
	}
	if !strings.Contains(doc.Source, "Veille <i>interne</i>") {
		t.Errorf("document metadata = %q; want the source shown as text", doc.Source)
	}
	if doc.URLTag != "" {
		t.Errorf("document metadata links to %q; a javascript: URL must not be a link", doc.URLTag)
	}
	if doc.Marks < 2 || !strings.Contains(doc.Marked, "coopération") {
		t.Errorf("document highlights %d terms (%q); want coopération highlighted twice", doc.Marks, doc.Marked)
	}
	if !strings.Contains(doc.Back, "q=coop") || !strings.Contains(doc.Back, "country=IL") || strings.Contains(doc.Back, "doc=") {
		t.Errorf("back link = %q; want the results URL", doc.Back)
	}
	b.screenshot(shots, "document-desktop.png")

	// The occurrence buttons go from one highlighted word to the next,
	// round at either end.
	if hidden := eval[bool](b, `document.getElementById('doc-nav').hidden`); hidden {
		t.Errorf("document with %d highlighted words: no occurrence buttons", doc.Marks)
	}
	for _, step := range []struct{ button, want string }{
		{"#mark-next", "Occurrence 1 sur 2 : « coopération »."},
		{"#mark-next", "Occurrence 2 sur 2 : « coopération »."},
		{"#mark-next", "Occurrence 1 sur 2 : « coopération »."},
		{"#mark-prev", "Occurrence 2 sur 2 : « coopération »."},
	} {
		b.do("clicking "+step.button, chromedp.Click(chromedp.CSS(step.button)))
		got := eval[struct {
			At      string
			Current []int
		}](b, `({
			At: document.getElementById('mark-at').textContent,
			Current: [...document.querySelectorAll('#doc-body mark')].flatMap((m, i) => m.classList.contains('current') ? [i] : []),
		})`)
		if want := int(step.want[len("Occurrence ")] - '1'); got.At != step.want || !slices.Equal(got.Current, []int{want}) {
			t.Errorf("clicking %s: %q, current marks %v; want %q, mark %d", step.button, got.At, got.Current, step.want, want)
		}
	}

	// The back button returns to the filtered results.
	b.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	back := b.waitRendered("!doc=", "country=IL", "from="+period)
	checkAgainstAPI(t, "back from the document", back, wantY)
	if vis := eval[bool](b, `!document.getElementById('results-view').hidden && document.getElementById('doc-view').hidden`); !vis {
		t.Errorf("back from the document: the results view is not shown")
	}
	// Back again: the country filter only.
	b.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	checkAgainstAPI(t, "back twice", b.waitRendered("country=IL", "!from="), wantIL)

	// The sort order chosen with the arrow keys: one search and one
	// history entry, not one per option passed.
	b.do("choosing the oldest first with the arrow keys", chromedp.Focus(chromedp.CSS("#sort")),
		chromedp.KeyEvent(keys.ArrowDown), chromedp.KeyEvent(keys.ArrowDown))
	sorted := b.waitRendered("sort=date", "country=IL")
	checkAgainstAPI(t, "sorted by date", sorted, apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL"}, "sort": {"date"}}))
	b.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	if back := b.waitRendered("country=IL", "!sort=date"); strings.Contains(back.Search, "sort=") {
		t.Errorf("back from the sort order chosen with two arrow keys: %s; want the search before it, unsorted", back.Search)
	}

	// Remove the country with its chip, then go to page 2.
	b.do("removing the Israël chip", chromedp.Click(chromedp.CSS(`#chips button[aria-label="Retirer le filtre Israël"]`)))
	checkAgainstAPI(t, "chip removed", b.waitRendered("q=", "!country="), wantAll)
	if id := eval[string](b, `document.activeElement.id`); id != "q" {
		t.Errorf("after removing the last chip, the focus is on %q; want the search box", id)
	}
	// A country missing from the facet, typed by name.
	b.do("typing an unknown country", chromedp.Focus(chromedp.CSS("#country-add")),
		chromedp.SetValue(chromedp.CSS("#country-add"), "Atlantide"), chromedp.KeyEvent("\r"))
	unknown := eval[struct{ Help, Invalid, Search string }](b, `({
		Help: document.getElementById('country-add-help').textContent,
		Invalid: document.getElementById('country-add').getAttribute('aria-invalid') || '',
		Search: location.search,
	})`)
	if !strings.Contains(unknown.Help, "Pays inconnu : « Atlantide »") || unknown.Invalid != "true" || strings.Contains(unknown.Search, "country=") {
		t.Errorf("unknown country typed: help %q, aria-invalid %q, URL %s; want it refused, the input marked", unknown.Help, unknown.Invalid, unknown.Search)
	}
	b.do("typing a country missing from the facet", chromedp.SetValue(chromedp.CSS("#country-add"), "sénégal"),
		chromedp.KeyEvent("\r"))
	sn := b.waitRendered("country=SN")
	checkAgainstAPI(t, "country typed", sn, apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"SN"}}))
	if !slices.Contains(sn.Chips, "Sénégal×") {
		t.Errorf("Sénégal typed: chips %q; want one for Sénégal", sn.Chips)
	}
	b.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	b.waitRendered("q=", "!country=")

	if title, want := eval[string](b, `document.title`), fmt.Sprintf("coopération : %d résultats — rapports", all.Total); title != want {
		t.Errorf("results: the page title is %q; want %q", title, want)
	}
	b.do("going to page 2", chromedp.Click(chromedp.CSS(`#pages a[aria-label="Page 2"]`)))
	p2 := b.waitRendered("page=2")
	if title, want := eval[string](b, `document.title`), fmt.Sprintf("coopération : %d résultats, page 2 — rapports", all.Total); title != want {
		t.Errorf("results page 2: the page title is %q; want %q", title, want)
	}
	checkAgainstAPI(t, "page 2", p2, apiSearch(t, base, url.Values{"q": {"coopération"}, "page": {"2"}}))

	// A page past the last one says so and leads to the last one.
	lastPage := (all.Total + 9) / 10
	b.do("opening a page past the last", chromedp.Navigate(base+"/?q=coop%C3%A9ration&page=40"))
	past := b.waitRendered("page=40")
	empty := eval[string](b, `document.querySelector('#hits .empty').textContent`)
	if len(past.IDs) != 0 || !strings.Contains(empty, fmt.Sprintf("La page 40 est au-delà des résultats : ils tiennent en %d pages.", lastPage)) {
		t.Errorf("page 40 of %d: hits %q, message %q; want none and the number of pages", lastPage, past.IDs, empty)
	}
	if prev := eval[string](b, `document.querySelector('#pages a[aria-label="Page précédente"]').search`); !strings.Contains(prev, fmt.Sprintf("page=%d", lastPage)) {
		t.Errorf("page 40 of %d: the previous page link is %q; want the last page", lastPage, prev)
	}
	b.do("following the link to the last page", chromedp.Click(chromedp.CSS("#past-last")))
	lp := b.waitRendered(fmt.Sprintf("page=%d", lastPage))
	checkAgainstAPI(t, "last page", lp, apiSearch(t, base, url.Values{"q": {"coopération"}, "page": {fmt.Sprint(lastPage)}}))
	if len(lp.IDs) == 0 {
		t.Errorf("last page %d: no hit shown", lastPage)
	}
	b.do("opening a page beyond the paged window", chromedp.Navigate(base+"/?q=coop%C3%A9ration&page=1001"))
	if far := b.waitRendered("page=1001"); !strings.Contains(far.Error, "Page 1001 trop loin : seuls les 10\u202f000 premiers résultats") {
		t.Errorf("page 1001: error shown = %q; want it to say that only the first 10 000 results are paged", far.Error)
	}
	b.do("going back to page 2", chromedp.Navigate(base+"/?q=coop%C3%A9ration&page=2"))
	b.waitRendered("page=2")

	// Drag over the histogram: a range of bars.
	var bars []string
	for _, d := range wantAll.Facets.Date {
		if d.Count > 0 {
			bars = append(bars, d.Period)
		}
	}
	if len(bars) < 3 {
		t.Fatalf("query coopération: date facet %+v; want at least 3 bars", wantAll.Facets.Date)
	}
	lo, hi := bars[0], bars[len(bars)/2]
	b.do("dragging from "+lo+" to "+hi, chromedp.DragAndDrop(
		chromedp.CSS(`#histogram .bar[data-period="`+lo+`"]`), chromedp.CSS(`#histogram .bar[data-period="`+hi+`"]`)))
	r := b.waitRendered("from="+lo, "to="+hi, "!page=")
	wantR := apiSearch(t, base, url.Values{"q": {"coopération"}, "from": {lo}, "to": {hi}})
	checkAgainstAPI(t, "dragged "+lo+" to "+hi, r, wantR)
	if r.Total == 0 || r.Total >= all.Total {
		t.Errorf("dragged %s to %s: total %d; want between 1 and %d", lo, hi, r.Total, all.Total-1)
	}

	// The date inputs take French dates.
	b.do("typing dates", chromedp.SetValue(chromedp.CSS("#from"), "mars 2023"),
		chromedp.SetValue(chromedp.CSS("#to"), "31/12/2023"), chromedp.Click(chromedp.CSS(`#dates button[type="submit"]`)))
	typed := b.waitRendered("from=2023-03", "to=2023-12-31")
	checkAgainstAPI(t, "typed dates", typed, apiSearch(t, base, url.Values{"q": {"coopération"}, "from": {"2023-03"}, "to": {"2023-12-31"}}))

	// A link reproduces the search: filters, sort and page.
	link := base + "/?q=coop%C3%A9ration&country=IL&country=BH&sort=-date&page=1"
	b.do("opening a link", chromedp.Navigate(link))
	l := b.waitRendered("country=BH")
	wantL := apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL", "BH"}, "sort": {"-date"}})
	checkAgainstAPI(t, "link", l, wantL)
	checked := map[string]bool{}
	for _, c := range l.Countries {
		checked[c.Code] = c.Checked
	}
	if !checked["IL"] || !checked["BH"] || checked["JO"] || l.Sort != "-date" {
		t.Errorf("link %s: checked %v, sort %q; want IL and BH only, -date", link, checked, l.Sort)
	}

	// On paper a line says what was searched, the filters column being
	// left out.
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	b.do("emulating print", media("print"))
	printed := eval[struct{ Line, Facets string }](b, `({
		Line: getComputedStyle(document.getElementById('print-query')).display === 'none' ? '' : document.getElementById('print-query').textContent,
		Facets: getComputedStyle(document.querySelector('.facets')).display,
	})`)
	if want := "Recherche « coopération », Israël, Bahreïn, récents d’abord."; printed.Line != want || printed.Facets != "none" {
		t.Errorf("printing %s: the search line reads %q, the filters column is %q; want %q and none", link, printed.Line, printed.Facets, want)
	}
	b.screenshot(shots, "results-print.png")
	b.do("emulating the screen", media(""))
	if line := eval[string](b, `getComputedStyle(document.getElementById('print-query')).display`); line != "none" {
		t.Errorf("on screen, the printed search line is shown (display %s)", line)
	}

	// Keyboard: Space ticks a country, and the focus stays on it.
	b.do("pressing Space on Jordanie",
		chromedp.Focus(chromedp.CSS(`#country-JO`)),
		chromedp.KeyEvent(" "))
	jo := b.waitRendered("country=JO")
	if id := eval[string](b, `document.activeElement.id`); id != "country-JO" {
		t.Errorf("after Space on Jordanie, the focus is on %q; want it kept on the checkbox", id)
	}
	wantL = apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL", "BH", "JO"}, "sort": {"-date"}})
	checkAgainstAPI(t, "keyboard on Jordanie", jo, wantL)
	for i, c := range jo.Countries {
		if c.Checked != (i < 3) {
			t.Errorf("with IL, BH and JO ticked, the country facet lists %+v; want the ticked ones first", jo.Countries)
			break
		}
	}

	// The last bar with reports, for the keyboard.
	kb := ""
	for _, d := range wantL.Facets.Date {
		if d.Count > 0 {
			kb = d.Period
		}
	}
	// Keyboard: the bars are one Tab stop, the arrows move along them.
	tabStops := func() []string {
		return eval[[]string](b, `[...document.querySelectorAll('#histogram .bar')].filter((x) => x.tabIndex >= 0).map((x) => x.id)`)
	}
	if stops := tabStops(); len(stops) != 1 {
		t.Errorf("histogram with %d bars: Tab stops on %q; want one", len(jo.Bars), stops)
	}
	at := slices.Index(jo.Bars, kb)
	if at < 1 {
		t.Fatalf("histogram bars %q; the keyboard test wants one before %s", jo.Bars, kb)
	}
	b.do("focusing the "+kb+" bar", chromedp.Focus(chromedp.CSS(`#histogram .bar[data-period="`+kb+`"]`)))
	for _, step := range []struct{ key, want string }{
		{keys.ArrowLeft, "bar-" + jo.Bars[at-1]},
		{keys.ArrowRight, "bar-" + kb},
		{keys.Home, "bar-" + jo.Bars[0]},
		{keys.ArrowLeft, "bar-" + jo.Bars[0]},
		{keys.End, "bar-" + jo.Bars[len(jo.Bars)-1]},
	} {
		b.do(fmt.Sprintf("pressing %q in the histogram", step.key), chromedp.KeyEvent(step.key))
		if id := eval[string](b, `document.activeElement.id`); id != step.want {
			t.Errorf("pressing %q in the histogram: the focus is on %q; want %q", step.key, id, step.want)
		}
		if stops := tabStops(); !slices.Equal(stops, []string{step.want}) {
			t.Errorf("pressing %q in the histogram: Tab stops on %q; want %s only", step.key, stops, step.want)
		}
	}
	b.do("pressing Tab in the histogram", chromedp.KeyEvent("\t"))
	if id := eval[string](b, `document.activeElement.id`); id != "from" {
		t.Errorf("pressing Tab in the histogram: the focus is on %q; want the next control, from", id)
	}

	// Keyboard: a bar is a button, Enter filters on it.
	b.do("pressing Enter on the "+kb+" bar",
		chromedp.Focus(chromedp.CSS(`#histogram .bar[data-period="`+kb+`"]`)),
		chromedp.KeyEvent("\r"))
	k := b.waitRendered("country=BH", "from="+kb, "to="+kb)
	if id := eval[string](b, `document.activeElement.id`); id != "bar-"+kb {
		t.Errorf("after Enter on the %s bar, the focus is on %q; want it kept on the bar", kb, id)
	}
	checkAgainstAPI(t, "keyboard on "+kb, k, apiSearch(t, base,
		url.Values{"q": {"coopération"}, "country": {"IL", "BH", "JO"}, "sort": {"-date"}, "from": {kb}, "to": {kb}}))

	// The document view highlights the other forms of the query's words.
	b.do("opening a document for a plural query",
		chromedp.Navigate(base+"/?q=d%C3%A9fenses+a%C3%A9riennes+-menu&doc="+url.QueryEscape("rapports/01.txt")))
	b.waitRendered("doc=")
	marked := eval[[]string](b, `[...document.querySelectorAll('#doc-body mark')].map((m) => m.textContent)`)
	if !slices.Equal(marked, []string{"défense", "aérienne"}) {
		t.Errorf("query défenses aériennes -menu: document highlights %q; want [défense aérienne]", marked)
	}

	// The forms are those of the index's French analyzer: "coopérer" has
	// the stem of "coopérations", "défendre" not that of "défenses".
	b.do("opening a document for another query",
		chromedp.Navigate(base+"/?q=coop%C3%A9rations+d%C3%A9fenses&doc="+url.QueryEscape("autres/4.txt")))
	b.waitRendered("doc=")
	marked = eval[[]string](b, `[...document.querySelectorAll('#doc-body mark')].map((m) => m.textContent)`)
	if !slices.Equal(marked, []string{"coopératives", "coopérer"}) {
		t.Errorf("query coopérations défenses: document highlights %q; want [coopératives coopérer]", marked)
	}

	// Narrow screen.
	b.do("narrowing the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.do("reloading", chromedp.Navigate(base+"/?q=coop%C3%A9ration"))
	b.waitRendered("q=")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("at 390px the page is %dpx wide: it scrolls sideways", w)
	}
	b.screenshot(shots, "results-narrow.png")
	b.shoot(shots, "results-narrow-top.png", chromedp.CaptureScreenshot())
	if open := eval[bool](b, `document.getElementById('filters').open`); open {
		t.Errorf("at 390px without filters, the filters are unfolded above the results")
	}
	b.do("reloading with filters", chromedp.Navigate(base+"/?q=coop%C3%A9ration&country=IL&from=2023"))
	b.waitRendered("country=IL")
	if open := eval[bool](b, `document.getElementById('filters').open`); !open {
		t.Errorf("at 390px with active filters, the filters are folded")
	}
	b.shoot(shots, "results-narrow-filters.png", chromedp.CaptureScreenshot())
	b.do("opening a document", chromedp.Navigate(base+"/?q=coop%C3%A9ration&doc="+url.QueryEscape(xssID)))
	b.waitRendered("doc=")
	b.screenshot(shots, "document-narrow.png")
	b.do("widening the viewport", chromedp.EmulateViewport(1280, 900))

	// An API error is shown as a message.
	b.do("asking for a bad date", chromedp.Navigate(base+"/?q=coop%C3%A9ration&from=2024-13"))
	bad := b.waitRendered("from=2024-13")
	if bad.Error == "" || !strings.Contains(bad.Error, "2024-13") {
		t.Errorf("bad date: error shown = %q; want a message naming 2024-13", bad.Error)
	}
	if inv := eval[string](b, `document.getElementById('from').getAttribute('aria-invalid') || ''`); inv != "true" {
		t.Errorf("bad date: the from input has aria-invalid=%q; want true", inv)
	}
	b.screenshot(shots, "error-bad-date.png")
	b.do("asking for dates in the wrong order", chromedp.Navigate(base+"/?q=coop%C3%A9ration&from=2024&to=2023-06"))
	if bad := b.waitRendered("from=2024"); !strings.Contains(bad.Error, "après la date de fin") {
		t.Errorf("from 2024 to 2023-06: error shown = %q; want « … après la date de fin … »", bad.Error)
	}

	// A search that finds nothing offers looser ones that find something,
	// with their counts.
	suggestions := func(what string) []string {
		t.Helper()
		return eval[[]string](b, `[...document.querySelectorAll('#suggestions li')].map((li) => li.textContent)`)
	}
	b.do("searching a phrase absent from Israël's reports", chromedp.Navigate(base+"/?q=%22menu+d%C3%A9fense%22&country=IL"))
	if none := b.waitRendered("q=%22menu"); none.Total != 0 {
		t.Fatalf(`"menu défense" in IL: %d results; the test wants none`, none.Total)
	}
	// Without filters the phrase still finds nothing; menu OR défense finds
	// what menu défense finds, and is left out.
	words := apiSearch(t, base, url.Values{"q": {"menu défense"}, "country": {"IL"}}).Total
	either := apiSearch(t, base, url.Values{"q": {"menu OR défense"}, "country": {"IL"}}).Total
	if want := []string{fmt.Sprintf("menu défense : %d résultats", words)}; words < 2 || either != words ||
		!slices.Equal(suggestions("phrase"), want) {
		t.Errorf(`"menu défense" in IL: suggestions %q; want %q (the phrase without filters finds nothing; OR finds %d)`,
			suggestions("phrase"), want, either)
	}
	b.do("searching words found apart", chromedp.Navigate(base+"/?q=menu+%C3%A9lections"))
	b.waitRendered("q=menu")
	if got, want := suggestions("OR"), []string{fmt.Sprintf("menu OR élections : %d résultats",
		apiSearch(t, base, url.Values{"q": {"menu OR élections"}}).Total)}; !slices.Equal(got, want) {
		t.Errorf("menu élections: suggestions %q; want %q", got, want)
	}
	b.do("searching the phrase again", chromedp.Navigate(base+"/?q=%22menu+d%C3%A9fense%22&country=IL"))
	b.waitRendered("q=%22menu")
	b.screenshot(shots, "no-result-suggestions.png")
	b.do("following the first suggestion", chromedp.Click(chromedp.CSS("#suggestions a")))
	loose := b.waitRendered("q=menu+d%C3%A9fense", "country=IL")
	checkAgainstAPI(t, "suggestion menu défense", loose, apiSearch(t, base, url.Values{"q": {"menu défense"}, "country": {"IL"}}))
	b.do("searching a word absent from Israël's reports", chromedp.Navigate(base+"/?q=%C3%A9lections&country=IL&from=2023"))
	b.waitRendered("q=%C3%A9lections")
	if got, want := suggestions("filters"), []string{"« élections » sans les filtres : 1 résultat"}; !slices.Equal(got, want) {
		t.Errorf("élections in IL since 2023: suggestions %q; want %q", got, want)
	}
	b.do("searching a word absent from every report", chromedp.Navigate(base+"/?q=xyzzy"))
	b.waitRendered("q=xyzzy")
	if got := suggestions("nothing"); len(got) != 0 {
		t.Errorf("xyzzy: suggestions %q; want none", got)
	}

	// A query that does not parse: what is wrong, in French, where, and
	// the corrected query, which one click searches.
	b.do("searching with an unclosed quote", chromedp.Navigate(base+"/?q=%22d%C3%A9fense+a%C3%A9rienne&country=IL"))
	unclosed := b.waitRendered("q=%22")
	if !strings.Contains(unclosed.Error, "caractère 1 : guillemet") || !strings.Contains(unclosed.Error, `Rechercher plutôt "défense aérienne" ?`) {
		t.Errorf("unclosed quote: error shown = %q; want the reason in French, its place and the corrected query", unclosed.Error)
	}
	if inv := eval[string](b, `document.getElementById('q').getAttribute('aria-invalid') || ''`); inv != "true" {
		t.Errorf("unclosed quote: the search box has aria-invalid=%q; want true", inv)
	}
	b.screenshot(shots, "error-bad-query.png")
	b.do("following the corrected query", chromedp.Click(chromedp.CSS("#error-fix")))
	fixed := b.waitRendered("q=%22d%C3%A9fense+a%C3%A9rienne%22", "country=IL")
	checkAgainstAPI(t, "corrected query", fixed, apiSearch(t, base, url.Values{"q": {`"défense aérienne"`}, "country": {"IL"}}))
	if fixed.Error != "" || fixed.Total == 0 {
		t.Errorf("corrected query: error %q, %d results; want no error and results", fixed.Error, fixed.Total)
	}
	if inv := eval[string](b, `document.getElementById('q').getAttribute('aria-invalid') || ''`); inv != "" {
		t.Errorf("corrected query: the search box still has aria-invalid=%q", inv)
	}

	// An unknown document: a message, and the way back.
	b.do("opening an unknown document", chromedp.Navigate(base+"/?q=x&doc=nulle%2Fpart.txt"))
	missing := b.waitRendered("doc=")
	title := eval[string](b, `document.getElementById('doc-title').textContent`)
	if !strings.Contains(missing.Error, "pas (ou plus) dans l’index") || title != "Rapport introuvable" {
		t.Errorf("unknown document: error %q, title %q; want a message and « Rapport introuvable »", missing.Error, title)
	}

	// The server gone: a message too.
	site.CloseClientConnections()
	site.Close()
	b.do("searching with the server gone",
		chromedp.SetValue(chromedp.CSS("#q"), "défense"),
		chromedp.Click(chromedp.CSS("#go")))
	gone := b.waitRendered("q=d%C3%A9fense")
	if !strings.Contains(gone.Error, "ne répond pas") {
		t.Errorf("server gone: error shown = %q; want « Le serveur ne répond pas »", gone.Error)
	}
}

// TestBrowserHistogramZoom checks that a year chosen on a histogram of
// years opens on its months, with axis labels that do not run into each
// other, on an index whose dates span ten years (the server counts them by
// year).
func TestBrowserHistogramZoom(t *testing.T) {
	needChrome(t)
	var reports []corpus.Report
	for i := range 30 {
		year, month := 2015+i%10, 1+i%12
		if i >= 20 {
			year = 2024
		}
		d, err := corpus.MakeDate(year, month, 10)
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("r/%02d.txt", i)
		reports = append(reports, corpus.Report{ID: id, Path: id, Title: fmt.Sprintf("Note %d", i), Date: d,
			Body: "La coopération régionale avance."})
	}
	site := startSiteWith(t, reports)
	b := startBrowser(t, site.URL)
	years := apiSearch(t, site.URL, url.Values{"q": {"coopération"}})
	if len(years.Facets.Date) != 10 || years.Facets.Date[0].Period != "2015" {
		t.Fatalf("the server's histogram over 2015-2024 is %+v; want ten years", years.Facets.Date)
	}
	b.do("searching", chromedp.Navigate(site.URL+"/?q=coop%C3%A9ration"))
	b.waitRendered("q=")
	b.do("clicking the 2024 bar", chromedp.Click(chromedp.CSS(`#histogram .bar[data-period="2024"]`)))
	y := b.waitRendered("from=2024", "to=2024")
	var want []string
	for m := 1; m <= 12; m++ {
		want = append(want, fmt.Sprintf("2024-%02d", m))
	}
	if !slices.Equal(y.Bars, want) {
		t.Errorf("2024 chosen on the histogram: bars %q; want the twelve months of 2024", y.Bars)
	}
	if y.Total != 12 {
		t.Errorf("2024 chosen on the histogram: %d results; want 12", y.Total)
	}
	// Each label ends before the next one starts.
	overlaps := eval[[]string](b, `(() => {
		const out = [];
		let prev = null;
		for (const s of document.querySelectorAll('#histogram .axis span')) {
			if (!s.firstChild) continue;
			const r = document.createRange();
			r.selectNodeContents(s);
			const box = r.getBoundingClientRect();
			if (prev && box.left < prev.right + 2) out.push(prev.text + ' / ' + s.textContent);
			prev = { right: box.right, text: s.textContent };
		}
		return out;
	})()`)
	if len(overlaps) > 0 {
		t.Errorf("histogram of 2024: axis labels run into each other: %q", overlaps)
	}
}

// TestPageFunctions runs the page's parsing and formatting functions in the
// browser, case by case.
func TestPageFunctions(t *testing.T) {
	needChrome(t)
	srv := httptest.NewServer(web.Handler()) // no API: these functions need none
	defer srv.Close()
	b := startBrowser(t, srv.URL)
	b.do("opening the page", chromedp.Navigate(srv.URL+"/"))
	if err := b.poll(`window.rapportsPage`); err != nil {
		t.Fatalf("waiting for the page's script: %v", err)
	}

	call := func(expr string, args ...any) string {
		t.Helper()
		js, err := json.Marshal(args)
		if err != nil {
			t.Fatal(err)
		}
		return eval[string](b, fmt.Sprintf(`String((%s)(...%s))`, expr, js))
	}

	// markedNodes: server HTML with <mark> only, serialized back.
	for _, tc := range []struct{ in, want string }{
		{"a <mark>b</mark> c", "a <mark>b</mark> c"},
		{"&lt;script&gt;x&lt;/script&gt;", "&lt;script&gt;x&lt;/script&gt;"},
		{"<b>x</b> <mark>y</mark>", "&lt;b&gt;x&lt;/b&gt; <mark>y</mark>"},
		{`<img src=x onerror="alert(1)">`, `&lt;img src=x onerror="alert(1)"&gt;`},
		{"&amp;lt; &#34;q&#34; &#x27;s &nbsp;", "&amp;lt; \"q\" 's &nbsp;"},
		{"&bogus; & seul", "&amp;bogus; &amp; seul"},
		{"<MARK>Gaza</MARK> <mark>unclosed", "<mark>Gaza</mark> <mark>unclosed</mark>"},
		{"", ""},
	} {
		got := call(`(s) => { const d = document.createElement('div'); d.append(rapportsPage.markedNodes(s)); return d.innerHTML; }`, tc.in)
		if got != tc.want {
			t.Errorf("markedNodes(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// queryTerms: the words to highlight, folded; +prefix, exact:.
	for _, tc := range []struct{ in, want string }{
		{"coopération militaire", "cooperation militaire"},
		{`"défense aérienne" -Iran`, "defense aerienne"},
		{"NOT Gaza Liban", "liban"},
		{"-(Gaza OR Liban) armée", "armee"},
		{"(Gaza OR Liban) AND armée", "gaza liban armee"},
		{"title:drones exact:Armées", "drones exact:armees"},
		{"milit* le +la", "milit* la"},
		{`exact:"Défense aérienne"`, "exact:defense exact:aerienne"},
		{"l’armée d'Israël", "armee israel"},
		{`"non fermé`, "non ferme"},
		{"Œuvre", "oeuvre"},
		{"", ""},
	} {
		got := call(`(q) => rapportsPage.queryTerms(q).map((t) => (t.exact ? 'exact:' : '') + t.term + (t.prefix ? '*' : '')).join(' ')`, tc.in)
		if got != tc.want {
			t.Errorf("queryTerms(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// formatDate: French dates; anything else as is.
	for _, tc := range []struct{ in, want string }{
		{"2024", "2024"},
		{"2024-06", "juin 2024"},
		{"2024-06-01", "1er juin 2024"},
		{"2024-02-15", "15 février 2024"},
		{"2024-13", "2024-13"},
		{"2024-06-40", "2024-06-40"},
		{"hier", "hier"},
		{"", ""},
	} {
		got := call(`rapportsPage.formatDate`, tc.in)
		if got != tc.want {
			t.Errorf("formatDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// isoDate: what may be typed in the date inputs.
	for _, tc := range []struct{ in, want string }{
		{"2024", "2024"},
		{" 2024-06 ", "2024-06"},
		{"2024-06-15", "2024-06-15"},
		{"15/06/2024", "2024-06-15"},
		{"5/6/2024", "2024-06-05"},
		{"06/2024", "2024-06"},
		{"juin 2024", "2024-06"},
		{"Février 2023", "2023-02"},
		{"fevrier 2023", "2023-02"},
		{"sept. 2021", "2021-09"},
		{"1er juin 2024", "2024-06-01"},
		{"14 juillet 1789", "1789-07-14"},
		{"ju 2024", "ju 2024"},
		{"brumaire 2024", "brumaire 2024"},
		{"hier", "hier"},
		{"", ""},
	} {
		got := call(`rapportsPage.isoDate`, tc.in)
		if got != tc.want {
			t.Errorf("isoDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// fillPeriods: the missing bars of the histogram, counted 0.
	for _, tc := range []struct{ in, want string }{
		{`[{"period":"2024-11","count":1},{"period":"2025-02","count":3}]`, "2024-11:1 2024-12:0 2025-01:0 2025-02:3"},
		{`[{"period":"2024","count":2},{"period":"2021","count":1}]`, "2021:1 2022:0 2023:0 2024:2"},
		{`[{"period":"2024-06","count":5}]`, "2024-06:5"},
		{`[]`, ""},
	} {
		got := eval[string](b, `rapportsPage.fillPeriods(`+tc.in+`).map((b) => b.period + ':' + b.count).join(' ')`)
		if got != tc.want {
			t.Errorf("fillPeriods(%s) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// queryProblem: the server's words on a query it could not parse,
	// said in French, with the corrected query when it is certain.
	for _, tc := range []struct{ q, detail, want string }{
		{`"non fermé`, "index: bad query: unclosed quote at 1",
			`Requête mal formée, caractère 1 : guillemet (") ouvert mais pas fermé. | "non fermé"`},
		{"(Gaza OR Liban", "index: bad query: unclosed parenthesis at 1",
			"Requête mal formée, caractère 1 : parenthèse ouverte mais pas fermée. | (Gaza OR Liban)"},
		{"Gaza OR", "index: bad query: OR without a term after it at 6",
			"Requête mal formée, caractère 6 : OR sans mot après lui. | "},
		{"armée -", `index: bad query: "-" without a term after it at 7`,
			"Requête mal formée, caractère 7 : « - » sans mot après. | "},
		{"a* armée", `index: bad query: prefix "a*" is shorter than 2 characters at 1`,
			"Requête mal formée, caractère 1 : préfixe « a* » trop court (2 lettres au moins avant *). | "},
		{"(a*)", `index: bad query: prefix "a*" is shorter than 2 letters (at 2)`,
			"Requête mal formée, caractère 2 : préfixe « a* » trop court (2 lettres au moins avant *). | "},
		{"mi*t", "index: bad query: * inside a word (only word* is supported) at 3",
			"Requête mal formée, caractère 3 : * au milieu d’un mot : seul le préfixe est possible (milit*). | "},
		{"x", "index: bad query: something new at 4",
			"Requête mal formée, caractère 4 (voir « Syntaxe »). | "},
		{"x", "from: \"2024-13\" is not a date", "null"},
		{"x", "", "null"},
	} {
		got := call(`(q, d) => { const p = rapportsPage.queryProblem(q, d); return p ? p.message + ' | ' + p.fixed : 'null'; }`, tc.q, tc.detail)
		if got != tc.want {
			t.Errorf("queryProblem(%q, %q) = %q; want %q", tc.q, tc.detail, got, tc.want)
		}
	}

	// relaxedQueries: looser forms of a query that found nothing.
	for _, tc := range []struct{ in, want string }{
		{`"défense aérienne"`, "défense aérienne | défense OR aérienne"},
		{"défense aérienne", "défense OR aérienne"},
		{`"grève des dentistes" sncf`, "grève des dentistes sncf | grève OR dentistes OR sncf"},
		{"la grève de la SNCF", "grève OR SNCF"},
		{"défense de l’air", "défense OR l’air"},
		{"la défense", ""},
		{"exact:armées title:drones", "armées drones | armées OR drones"},
		{`"défense aérienne" -Iran`, "défense aérienne -Iran"},
		{"Gaza OR Liban", ""},
		{"(Gaza Liban) armée", ""},
		{"armée", ""},
		{`"armée"`, "armée"},
		{"", ""},
	} {
		got := call(`(q) => rapportsPage.relaxedQueries(q).join(' | ')`, tc.in)
		if got != tc.want {
			t.Errorf("relaxedQueries(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// countryCode: a country typed by name or code.
	for _, tc := range []struct{ in, want string }{
		{"Mali", "ML"},
		{" mali ", "ML"},
		{"ml", "ML"},
		{"États-Unis", "US"},
		{"etats unis", "US"},
		{"Cote d'Ivoire", "CI"},
		{"royaume-uni", "GB"},
		{"EU", ""},
		{"Atlantide", ""},
		{"M", ""},
		{"", ""},
	} {
		got := call(`rapportsPage.countryCode`, tc.in)
		if got != tc.want {
			t.Errorf("countryCode(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}

	// pagesNote: why the pages stop before the results do.
	for _, tc := range []struct {
		total, page int
		want        string
	}{
		{12620, 1000, "Les pages s’arrêtent aux 10\u202f000 premiers des 12\u202f620 résultats : précisez la recherche, ajoutez un filtre ou changez le tri pour voir les autres."},
		{12620, 1001, "Les pages s’arrêtent aux 10\u202f000 premiers des 12\u202f620 résultats : précisez la recherche, ajoutez un filtre ou changez le tri pour voir les autres."},
		{12620, 999, ""},
		{10000, 1000, ""},
		{6773, 678, ""},
	} {
		got := call(`rapportsPage.pagesNote`, tc.total, tc.page)
		if got != tc.want {
			t.Errorf("pagesNote(%d, %d) = %q; want %q", tc.total, tc.page, got, tc.want)
		}
	}

	// dateInterval: months for a date filter of three years at most.
	for _, tc := range []struct{ from, to, want string }{
		{"2024", "2024", "month"},
		{"2022", "2024", "month"},
		{"2021", "2024", "year"},
		{"2021-01", "2023-12-31", "month"},
		{"2021-01", "2024-01", "year"},
		{"2024-06-15", "2024-06-20", "month"},
		{"2024", "", "year"},
		{"", "2024", "year"},
		{"2024", "2023", "year"},
		{"juin", "2024", "year"},
	} {
		got := call(`(f, t) => rapportsPage.dateInterval(f, t) || 'year'`, tc.from, tc.to)
		if got != tc.want {
			t.Errorf("dateInterval(%q, %q) = %q; want %q", tc.from, tc.to, got, tc.want)
		}
	}

	// axisLabels: the labels under the bars.
	months := func(y, from, to int) []string {
		var out []string
		for m := from; m <= to; m++ {
			out = append(out, fmt.Sprintf("%d-%02d", y, m))
		}
		return out
	}
	for _, tc := range []struct {
		periods []string
		want    string
	}{
		{months(2020, 1, 12), "janv. 20|||avr. 20|||juil. 20|||oct. 20||"},
		{months(2020, 3, 6), "mars 20|avr. 20|mai 20|juin 20"},
		{append(months(2019, 11, 12), months(2020, 1, 12)...), "||2020|||||||||||"},
		{append(months(2019, 9, 12), months(2020, 1, 12)...), "sept. 19||||2020|||||||||||"},
		{[]string{"2013", "2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"},
			"2013|||2016|||2019|||2022|||2025|"},
		{[]string{"2024"}, "2024"},
		{[]string{}, ""},
	} {
		got := call(`(p) => rapportsPage.axisLabels(p).join('|')`, tc.periods)
		if got != tc.want {
			t.Errorf("axisLabels(%q) = %q; want %q", tc.periods, got, tc.want)
		}
	}

	// inRange: is a bar inside the from/to filter?
	for _, tc := range []struct {
		period, from, to string
		want             bool
	}{
		{"2024-06", "2024", "2024", true},
		{"2024-06", "2024-07", "", false},
		{"2024-06", "", "2024-06-15", true},
		{"2024", "2023-05", "2024-02", true},
		{"2022", "2023-05", "", false},
		{"2024-06", "", "", false},
	} {
		got := eval[bool](b, fmt.Sprintf(`rapportsPage.inRange(%q, %q, %q)`, tc.period, tc.from, tc.to))
		if got != tc.want {
			t.Errorf("inRange(%q, %q, %q) = %v; want %v", tc.period, tc.from, tc.to, got, tc.want)
		}
	}
}
