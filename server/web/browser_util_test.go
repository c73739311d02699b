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

	"github.com/chromedp/chromedp"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
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
		// Organisations as a walk would find them: ONU in two reports of
		// three, OTAN in one.
		orgs, mentions := [][]string{{"ONU"}, {"OTAN", "ONU"}, nil}[i%3], [][]int{{1}, {2, 1}, nil}[i%3]
		out = append(out, corpus.Report{
			Organizations: orgs, OrgMentions: mentions,
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
	return startSiteWrapped(t, reports, func(h http.Handler) http.Handler { return h })
}

// startSiteWrapped serves the page and the API over reports, through wrap.
func startSiteWrapped(t *testing.T, reports []corpus.Report, wrap func(http.Handler) http.Handler) *httptest.Server {
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
	srv := httptest.NewServer(wrap(server.New(ix, server.Options{}, nil)))
	t.Cleanup(srv.Close)
	return srv
}

// apiSearch asks the API directly, as the page should.
func apiSearch(t *testing.T, base string, v url.Values) index.Result {
	t.Helper()
	v.Set("highlight", "true") // the page sends no size: the server's default
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
	errs *pageErrors
}

// pageErrors gathers the JavaScript exceptions and CSP violations of the
// page, for the test (or subtest) running when they come.
type pageErrors struct {
	mu   sync.Mutex
	list []string
}

func (p *pageErrors) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, s)
}

// report fails t with the errors gathered, and forgets them.
func (p *pageErrors) report(t *testing.T) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.list {
		t.Errorf("JavaScript exception or CSP violation in the page: %s", e)
	}
	p.list = nil
}

// on returns the browser driven by the subtest t: its failures are t's,
// and so are the page's exceptions while it runs.
func (b *browser) on(t *testing.T) *browser {
	t.Cleanup(func() { b.errs.report(t) })
	c := *b
	c.t = t
	return &c
}

// clickInPage clicks the element of sel, waits until the page renders a
// URL with want (as waitRendered), and checks that the page handled the
// click itself, without loading a new page.
func (b *browser) clickInPage(what, sel string, want ...string) pageState {
	b.t.Helper()
	b.do(what, chromedp.Evaluate[chromedp.Void](`window.__samePage = true`), chromedp.Click(chromedp.CSS(sel)))
	got := b.waitRendered(want...)
	if !eval[bool](b, `window.__samePage === true`) {
		b.t.Errorf("%s: the browser loaded a new page; want the page to handle the click", what)
	}
	return got
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
	errs := &pageErrors{}
	go func() {
		for m, err := range chromedp.Console(bctx) {
			if err != nil {
				return
			}
			// A violation of the Content-Security-Policy is logged, not thrown.
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				errs.add(m.String())
			}
		}
	}()
	t.Cleanup(func() { errs.report(t) })
	return &browser{t: t, ctx: bctx, base: base, errs: errs}
}
