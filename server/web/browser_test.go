package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/rapports/rapports/corpus"
)

// coopURL is the results of the query "coopération", with more query
// parameters after it.
const coopURL = "/?q=coop%C3%A9ration"

// TestBrowser drives the page in headless Chromium over the test corpus,
// one subtest per feature; each opens the URL it starts from, so that one
// may run alone (go test ./server/web -run 'TestBrowser/pages'). They share
// the browser and run in order; "server gone", which closes the server,
// comes last.
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
	browser := startBrowser(t, base)
	wantAll := apiSearch(t, base, url.Values{"q": {"coopération"}})
	if wantAll.Total < 11 {
		t.Fatalf("query coopération: %d results; the test corpus should give more than a page", wantAll.Total)
	}
	total := int(wantAll.Total)

	t.Run("home", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening the home page", chromedp.Navigate(base+"/"))
		b.waitRendered()
		b.screenshot(shots, "home-desktop.png")
		stats := eval[string](b, `document.getElementById('stats').textContent`)
		if want := fmt.Sprint(len(testReports())) + " rapports indexés"; !strings.Contains(stats, want) {
			t.Errorf("home page stats = %q; want it to contain %q", stats, want)
		}
		// An example searches its query in the page.
		ex := b.clickInPage("following an example", `.examples a[href="?q=missil*+-Iran"]`, "q=missil")
		checkAgainstAPI(t, "example missil* -Iran", ex, apiSearch(t, base, url.Values{"q": {"missil* -Iran"}}))
		// The name of the site leads back home, the focus in the search box.
		b.clickInPage("following the home link", "#home", "!q=")
		if got := eval[string](b, `(document.getElementById('home-view').hidden ? 'hidden ' : '') + document.activeElement.id`); got != "q" {
			t.Errorf("home link: home view and focus %q; want the home view shown, the focus on q", got)
		}
	})

	t.Run("search", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening the home page", chromedp.Navigate(base+"/"))
		b.waitRendered()
		b.do("typing a query",
			chromedp.SendKeys(chromedp.CSS("#q"), "coopération"),
			chromedp.Click(chromedp.CSS("#go")))
		all := b.waitRendered("q=coop%C3%A9ration")
		checkAgainstAPI(t, "query coopération", all, wantAll)
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
		if title, want := eval[string](b, `document.title`), fmt.Sprintf("coopération : %d résultats — rapports", total); title != want {
			t.Errorf("results: the page title is %q; want %q", title, want)
		}
		b.screenshot(shots, "results-desktop.png")
	})

	t.Run("organisations and did you mean", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening a search", chromedp.Navigate(base+"/?q=coop%C3%A9ration"))
		b.waitRendered("q=coop")
		want := apiSearch(t, base, url.Values{"q": {"coopération"}})
		var codes []string
		for _, o := range want.Facets.Organization {
			codes = append(codes, o.Code)
		}
		if len(codes) != 2 {
			t.Fatalf("API organisation facet %+v; want ONU and OTAN", want.Facets.Organization)
		}
		if got := eval[[]string](b, `[...document.querySelectorAll('#organizations input')].map((e) => e.value)`); !slices.Equal(got, codes) {
			t.Errorf("organisations list %q; want the API's facet %q", got, codes)
		}
		if got := eval[string](b, `document.querySelector('#hits .orgs-line').textContent`); got != "ONU" && got != "OTAN, ONU" {
			t.Errorf("first hit's organisations line %q; want ONU or OTAN, ONU", got)
		}
		b.clickInPage("ticking OTAN", "#org-OTAN", "organization=OTAN")
		filtered := apiSearch(t, base, url.Values{"q": {"coopération"}, "organization": {"OTAN"}})
		if got := eval[string](b, `document.getElementById('total').dataset.total`); got != fmt.Sprint(filtered.Total) || filtered.Total == 0 || filtered.Total >= want.Total {
			t.Errorf("with OTAN ticked: %s results; want the API's %d, fewer than %d", got, filtered.Total, want.Total)
		}
		if got := eval[string](b, `[...document.querySelectorAll('#chips .chip span:first-child')].map((e) => e.textContent).join(',')`); got != "OTAN" {
			t.Errorf("chips %q; want OTAN", got)
		}
		// A misspelt query: the server's suggestion, as a link.
		typo := apiSearch(t, base, url.Values{"q": {"coopératoin"}})
		if typo.Suggestion != "coopération" {
			t.Fatalf("API suggestion for coopératoin = %q; want coopération", typo.Suggestion)
		}
		b.do("searching a misspelt word", chromedp.Navigate(base+"/?q=coop%C3%A9ratoin"))
		b.waitRendered("q=coop")
		if got := eval[string](b, `(document.getElementById('did-you-mean') || {}).textContent || ''`); got != "Essayez : coopération" {
			t.Errorf("did-you-mean line %q; want « Essayez : coopération »", got)
		}
		b.clickInPage("following the suggestion", "#did-you-mean a", "q=coop%C3%A9ration")
	})

	t.Run("colour schemes", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching", chromedp.Navigate(base+coopURL))
		b.waitRendered("q=")
		// The text is legible in the light and in the dark colour scheme:
		// contrast of 4.5 at least against the background it is drawn on.
		scheme := func(dark string) chromedp.Action[chromedp.Void] {
			return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: dark}}})
				return err
			})
		}
		defer b.do("emulating no colour scheme", scheme(""))
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
	})

	t.Run("skip links and focus", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching", chromedp.Navigate(base+coopURL))
		b.waitRendered("q=")
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
	})

	t.Run("modifier clicks", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching", chromedp.Navigate(base+coopURL+"&country=IL&from=2022"))
		b.waitRendered("country=IL")
		// A click with a modifier (or another button) on a link of the page
		// is the browser's: it opens the link's URL elsewhere; the page
		// neither prevents it nor moves.
		got := eval[[]string](b, `(() => {
			const out = [];
			const spy = (ev) => {
				const a = ev.target.closest('a');
				out.push((a.id || a.className) + ' ' + JSON.stringify(ev.detail) + ' ' + (ev.defaultPrevented ? 'prevented' : 'left to the browser'));
				ev.preventDefault(); // the test's own: nothing opens
			};
			window.addEventListener('click', spy);
			const links = [...document.querySelectorAll('#hits a.doc-link, #pages a.page, #home, a.skip')];
			for (const a of links) {
				for (const [i, m] of [{ctrlKey: true}, {metaKey: true}, {shiftKey: true}, {altKey: true}, {button: 1}].entries()) {
					a.dispatchEvent(new MouseEvent('click', Object.assign({bubbles: true, cancelable: true, detail: i}, m)));
				}
			}
			window.removeEventListener('click', spy);
			return [String(links.length), location.search].concat(out.filter((s) => !s.endsWith('left to the browser')));
		})()`)
		if len(got) < 2 || got[0] == "0" || got[1] != "?q=coop%C3%A9ration&country=IL&from=2022" || len(got) > 2 {
			t.Errorf("clicks with a modifier on the page's links: %q; want every one left to the browser, the URL unchanged", got)
		}
		// The skip links are the page's on a plain click (they are off the
		// screen until focused: the click is the script's).
		b.do("clicking a skip link", chromedp.Evaluate[chromedp.Void](`document.querySelector('a.skip[href="#main"]').click()`))
		if got := eval[string](b, `document.activeElement.id + ' ' + location.hash`); got != "main " {
			t.Errorf("plain click on the skip link: focus and hash %q; want the focus on main, no hash", got)
		}
	})

	t.Run("filters and document", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching", chromedp.Navigate(base+coopURL))
		b.waitRendered("q=")
		// Tick a country: the results narrow, the facet still shows the others.
		b.do("ticking Israël", chromedp.Click(chromedp.CSS("#country-IL")))
		il := b.waitRendered("country=IL")
		wantIL := apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL"}})
		checkAgainstAPI(t, "country IL", il, wantIL)
		if il.Total >= total {
			t.Errorf("ticking Israël: total %d; want fewer than %d", il.Total, total)
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
		y := b.clickInPage("clicking the "+period+" bar", `#histogram .bar[data-period="`+period+`"]`,
			"country=IL", "from="+period, "to="+period)
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
		b.clickInPage("following the document link", `#hits a.doc-link[data-id="`+strings.ReplaceAll(xssID, `"`, `\"`)+`"]`, "doc=")
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

		// The back link returns to the filtered results, through the
		// history: the next back goes to the results before the period.
		back := b.clickInPage("following the back link", "#back", "!doc=", "country=IL", "from="+period)
		checkAgainstAPI(t, "back from the document", back, wantY)
		if vis := eval[bool](b, `!document.getElementById('results-view').hidden && document.getElementById('doc-view').hidden`); !vis {
			t.Errorf("back from the document: the results view is not shown")
		}
		b.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
		checkAgainstAPI(t, "back twice", b.waitRendered("country=IL", "!from="), wantIL)
		// Forward, then the browser's back button from the document.
		b.do("going forward twice", chromedp.Evaluate[chromedp.Void](`history.go(2)`))
		b.waitRendered("doc=")
		b.do("going back", chromedp.Evaluate[chromedp.Void](`history.back()`))
		checkAgainstAPI(t, "browser back from the document", b.waitRendered("!doc=", "from="+period), wantY)

		// Opened from a link, the document's back link leads to its
		// results, with a new history entry.
		b.do("opening the document from a link", chromedp.Navigate(base+coopURL+"&country=IL&doc="+url.QueryEscape(xssID)))
		b.waitRendered("doc=")
		checkAgainstAPI(t, "back link of a linked document", b.clickInPage("following the back link", "#back", "!doc=", "country=IL"), wantIL)
	})

	t.Run("sort by keyboard", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching in Israël", chromedp.Navigate(base+coopURL+"&country=IL"))
		b.waitRendered("country=IL")
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
	})

	t.Run("chips and typed countries", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching in Israël", chromedp.Navigate(base+coopURL+"&country=IL"))
		b.waitRendered("country=IL")
		// Remove the country with its chip.
		checkAgainstAPI(t, "chip removed", b.clickInPage("removing the Israël chip",
			`#chips button[aria-label="Retirer le filtre Israël"]`, "q=", "!country="), wantAll)
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
		// Two filters: « Tout effacer » removes both.
		b.do("opening two filters", chromedp.Navigate(base+coopURL+"&country=IL&from=2023"))
		b.waitRendered("from=2023")
		checkAgainstAPI(t, "all chips cleared", b.clickInPage("clearing the filters", "#chip-clear", "q=", "!country=", "!from="), wantAll)
	})

	t.Run("pages", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching", chromedp.Navigate(base+coopURL))
		b.waitRendered("q=")
		p2 := b.clickInPage("going to page 2", `#pages a[aria-label="Page 2"]`, "page=2")
		if title, want := eval[string](b, `document.title`), fmt.Sprintf("coopération : %d résultats, page 2 — rapports", total); title != want {
			t.Errorf("results page 2: the page title is %q; want %q", title, want)
		}
		if id := eval[string](b, `document.activeElement.id`); id != "main" {
			t.Errorf("results page 2: the focus is on %q; want it on main, at the top", id)
		}
		checkAgainstAPI(t, "page 2", p2, apiSearch(t, base, url.Values{"q": {"coopération"}, "page": {"2"}}))

		// A page past the last one says so and leads to the last one.
		lastPage := (total + wantAll.Size - 1) / wantAll.Size // the server's page size
		b.do("opening a page past the last", chromedp.Navigate(base+coopURL+"&page=40"))
		past := b.waitRendered("page=40")
		empty := eval[string](b, `document.querySelector('#hits .empty').textContent`)
		if len(past.IDs) != 0 || !strings.Contains(empty, fmt.Sprintf("La page 40 est au-delà des résultats : ils tiennent en %d pages.", lastPage)) {
			t.Errorf("page 40 of %d: hits %q, message %q; want none and the number of pages", lastPage, past.IDs, empty)
		}
		if prev := eval[string](b, `document.querySelector('#pages a[aria-label="Page précédente"]').search`); !strings.Contains(prev, fmt.Sprintf("page=%d", lastPage)) {
			t.Errorf("page 40 of %d: the previous page link is %q; want the last page", lastPage, prev)
		}
		lp := b.clickInPage("following the link to the last page", "#past-last", fmt.Sprintf("page=%d", lastPage))
		checkAgainstAPI(t, "last page", lp, apiSearch(t, base, url.Values{"q": {"coopération"}, "page": {fmt.Sprint(lastPage)}}))
		if len(lp.IDs) == 0 {
			t.Errorf("last page %d: no hit shown", lastPage)
		}
		b.do("opening a page beyond the paged window", chromedp.Navigate(base+coopURL+"&page=1001"))
		if far := b.waitRendered("page=1001"); !strings.Contains(far.Error, "Page 1001 trop loin : seuls les 10\u202f000 premiers résultats") {
			t.Errorf("page 1001: error shown = %q; want it to say that only the first 10 000 results are paged", far.Error)
		}
	})

	t.Run("histogram drag and typed dates", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening page 2", chromedp.Navigate(base+coopURL+"&page=2"))
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
		if r.Total == 0 || r.Total >= total {
			t.Errorf("dragged %s to %s: total %d; want between 1 and %d", lo, hi, r.Total, total-1)
		}

		// The date inputs take French dates.
		b.do("typing dates", chromedp.SetValue(chromedp.CSS("#from"), "mars 2023"),
			chromedp.SetValue(chromedp.CSS("#to"), "31/12/2023"), chromedp.Click(chromedp.CSS(`#dates button[type="submit"]`)))
		typed := b.waitRendered("from=2023-03", "to=2023-12-31")
		checkAgainstAPI(t, "typed dates", typed, apiSearch(t, base, url.Values{"q": {"coopération"}, "from": {"2023-03"}, "to": {"2023-12-31"}}))
	})

	// link is a search with filters, a sort order and a page.
	link := base + coopURL + "&country=IL&country=BH&sort=-date&page=1"
	wantL := apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL", "BH"}, "sort": {"-date"}})

	t.Run("link and print", func(t *testing.T) {
		b := browser.on(t)
		// A link reproduces the search: filters, sort and page.
		b.do("opening a link", chromedp.Navigate(link))
		l := b.waitRendered("country=BH")
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
	})

	t.Run("keyboard on the filters", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening a link", chromedp.Navigate(link))
		b.waitRendered("country=BH")
		// Space ticks a country, and the focus stays on it.
		b.do("pressing Space on Jordanie",
			chromedp.Focus(chromedp.CSS(`#country-JO`)),
			chromedp.KeyEvent(" "))
		jo := b.waitRendered("country=JO")
		if id := eval[string](b, `document.activeElement.id`); id != "country-JO" {
			t.Errorf("after Space on Jordanie, the focus is on %q; want it kept on the checkbox", id)
		}
		wantJO := apiSearch(t, base, url.Values{"q": {"coopération"}, "country": {"IL", "BH", "JO"}, "sort": {"-date"}})
		checkAgainstAPI(t, "keyboard on Jordanie", jo, wantJO)
		for i, c := range jo.Countries {
			if c.Checked != (i < 3) {
				t.Errorf("with IL, BH and JO ticked, the country facet lists %+v; want the ticked ones first", jo.Countries)
				break
			}
		}

		// The last bar with reports, for the keyboard.
		kb := ""
		for _, d := range wantJO.Facets.Date {
			if d.Count > 0 {
				kb = d.Period
			}
		}
		// The bars are one Tab stop, the arrows move along them.
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
		if info := eval[string](b, `document.getElementById('hist-info').textContent`); !strings.HasPrefix(info, kb) && !strings.Contains(info, " : ") {
			t.Errorf("the %s bar focused: the histogram says %q; want what the bar holds", kb, info)
		}
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

		// A bar is a button, Enter filters on it.
		b.do("pressing Enter on the "+kb+" bar",
			chromedp.Focus(chromedp.CSS(`#histogram .bar[data-period="`+kb+`"]`)),
			chromedp.KeyEvent("\r"))
		k := b.waitRendered("country=BH", "from="+kb, "to="+kb)
		if id := eval[string](b, `document.activeElement.id`); id != "bar-"+kb {
			t.Errorf("after Enter on the %s bar, the focus is on %q; want it kept on the bar", kb, id)
		}
		checkAgainstAPI(t, "keyboard on "+kb, k, apiSearch(t, base,
			url.Values{"q": {"coopération"}, "country": {"IL", "BH", "JO"}, "sort": {"-date"}, "from": {kb}, "to": {kb}}))
	})

	t.Run("document highlighting", func(t *testing.T) {
		b := browser.on(t)
		// The document view highlights the other forms of the query's words.
		b.do("opening a document for a plural query",
			chromedp.Navigate(base+"/?q=d%C3%A9fenses+a%C3%A9riennes+-menu&doc="+url.QueryEscape("rapports/01.txt")))
		b.waitRendered("doc=")
		marked := eval[[]string](b, `[...document.querySelectorAll('#doc-body mark')].map((m) => m.textContent)`)
		if !slices.Equal(marked, []string{"défense", "aérienne"}) {
			t.Errorf("query défenses aériennes -menu: document highlights %q; want [défense aérienne]", marked)
		}

		// The forms are those of the index's French analyzer: the forms of
		// the query words' lemmas ("coopérons" finds "coopérer", "défendez"
		// "défendre"), not those of other lemmas ("coopératives").
		b.do("opening a document for another query",
			chromedp.Navigate(base+"/?q=coop%C3%A9rons+d%C3%A9fendez&doc="+url.QueryEscape("autres/4.txt")))
		b.waitRendered("doc=")
		marked = eval[[]string](b, `[...document.querySelectorAll('#doc-body mark')].map((m) => m.textContent)`)
		if !slices.Equal(marked, []string{"défendre", "coopérer"}) {
			t.Errorf("query coopérons défendez: document highlights %q; want [défendre coopérer]", marked)
		}

		// The marks are the server's (title_matches, body_matches): a
		// phrase marks its words where they stand in a row only, a query
		// typed without accents marks the accented words, in the title
		// too; the page asks the API nothing else (no api/analyze).
		type view struct{ Title, Body []string }
		for _, tc := range []struct {
			q     string
			want  view
			count string
		}{
			{`"défense aérienne" coopération`,
				view{[]string{"coopération"}, []string{"coopération", "défense", "aérienne"}}, "4 occurrences surlignées"},
			{`"défense militaire"`, view{nil, nil}, "Les termes de la recherche n’apparaissent pas dans ce texte."},
			{"cooperation REGIONALE alerte precoce",
				view{[]string{"coopération", "régionale"}, []string{"coopération", "alerte", "précoce"}}, "5 occurrences surlignées"},
			{`"défense`, view{nil, nil}, "La recherche « \"défense » est mal formée : rien n’est surligné."},
		} {
			b.do("opening a document for "+tc.q,
				chromedp.Navigate(base+"/?q="+url.QueryEscape(tc.q)+"&doc="+url.QueryEscape("rapports/01.txt")))
			b.waitRendered("doc=")
			got := eval[view](b, `({
				Title: [...document.querySelectorAll('#doc-title mark')].map((m) => m.textContent),
				Body: [...document.querySelectorAll('#doc-body mark')].map((m) => m.textContent)})`)
			if !slices.Equal(got.Title, tc.want.Title) || !slices.Equal(got.Body, tc.want.Body) {
				t.Errorf("query %s: marks title %q body %q; want %q %q", tc.q, got.Title, got.Body, tc.want.Title, tc.want.Body)
			}
			if c := eval[string](b, `document.getElementById('doc-marks').textContent`); !strings.HasPrefix(c, tc.count) {
				t.Errorf("query %s: the count says %q; want %q", tc.q, c, tc.count)
			}
			if body := eval[string](b, `document.getElementById('doc-body').textContent`); !strings.Contains(body, "La coopération militaire et la défense aérienne étaient au menu") {
				t.Errorf("query %s: the text shown is %q; want the report's", tc.q, body)
			}
		}
		calls := eval[[]string](b, `performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/api/'))`)
		for _, c := range calls {
			if !strings.HasPrefix(c, "/api/documents/") {
				t.Errorf("the document view called %s; want only /api/documents/", c)
			}
		}
	})

	t.Run("narrow screen", func(t *testing.T) {
		b := browser.on(t)
		b.do("narrowing the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		defer b.do("widening the viewport", chromedp.EmulateViewport(1280, 900))
		b.do("reloading", chromedp.Navigate(base+coopURL))
		b.waitRendered("q=")
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("at 390px the page is %dpx wide: it scrolls sideways", w)
		}
		b.screenshot(shots, "results-narrow.png")
		b.shoot(shots, "results-narrow-top.png", chromedp.CaptureScreenshot())
		if open := eval[bool](b, `document.getElementById('filters').open`); open {
			t.Errorf("at 390px without filters, the filters are unfolded above the results")
		}
		b.do("reloading with filters", chromedp.Navigate(base+coopURL+"&country=IL&from=2023"))
		b.waitRendered("country=IL")
		if open := eval[bool](b, `document.getElementById('filters').open`); !open {
			t.Errorf("at 390px with active filters, the filters are folded")
		}
		b.shoot(shots, "results-narrow-filters.png", chromedp.CaptureScreenshot())
		b.do("opening a document", chromedp.Navigate(base+coopURL+"&doc="+url.QueryEscape(xssID)))
		b.waitRendered("doc=")
		b.screenshot(shots, "document-narrow.png")
	})

	t.Run("bad dates", func(t *testing.T) {
		b := browser.on(t)
		// An API error is shown as a message.
		b.do("asking for a bad date", chromedp.Navigate(base+coopURL+"&from=2024-13"))
		bad := b.waitRendered("from=2024-13")
		if bad.Error == "" || !strings.Contains(bad.Error, "2024-13") {
			t.Errorf("bad date: error shown = %q; want a message naming 2024-13", bad.Error)
		}
		if inv := eval[string](b, `document.getElementById('from').getAttribute('aria-invalid') || ''`); inv != "true" {
			t.Errorf("bad date: the from input has aria-invalid=%q; want true", inv)
		}
		b.screenshot(shots, "error-bad-date.png")
		b.do("asking for dates in the wrong order", chromedp.Navigate(base+coopURL+"&from=2024&to=2023-06"))
		if bad := b.waitRendered("from=2024"); !strings.Contains(bad.Error, "après la date de fin") {
			t.Errorf("from 2024 to 2023-06: error shown = %q; want « … après la date de fin … »", bad.Error)
		}
	})

	t.Run("suggestions", func(t *testing.T) {
		b := browser.on(t)
		// A search that finds nothing offers looser ones that find something,
		// with their counts.
		suggestions := func() []string {
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
			!slices.Equal(suggestions(), want) {
			t.Errorf(`"menu défense" in IL: suggestions %q; want %q (the phrase without filters finds nothing; OR finds %d)`,
				suggestions(), want, either)
		}
		b.screenshot(shots, "no-result-suggestions.png")
		loose := b.clickInPage("following the first suggestion", "#suggestions a", "q=menu+d%C3%A9fense", "country=IL")
		checkAgainstAPI(t, "suggestion menu défense", loose, apiSearch(t, base, url.Values{"q": {"menu défense"}, "country": {"IL"}}))
		b.do("searching words found apart", chromedp.Navigate(base+"/?q=menu+%C3%A9lections"))
		b.waitRendered("q=menu")
		if got, want := suggestions(), []string{fmt.Sprintf("menu OR élections : %d résultats",
			apiSearch(t, base, url.Values{"q": {"menu OR élections"}}).Total)}; !slices.Equal(got, want) {
			t.Errorf("menu élections: suggestions %q; want %q", got, want)
		}
		b.do("searching a word absent from Israël's reports", chromedp.Navigate(base+"/?q=%C3%A9lections&country=IL&from=2023"))
		b.waitRendered("q=%C3%A9lections")
		if got, want := suggestions(), []string{"« élections » sans les filtres : 1 résultat"}; !slices.Equal(got, want) {
			t.Errorf("élections in IL since 2023: suggestions %q; want %q", got, want)
		}
		b.do("searching a word absent from every report", chromedp.Navigate(base+"/?q=xyzzy"))
		b.waitRendered("q=xyzzy")
		if got := suggestions(); len(got) != 0 {
			t.Errorf("xyzzy: suggestions %q; want none", got)
		}
	})

	t.Run("bad query", func(t *testing.T) {
		b := browser.on(t)
		// A query that does not parse: what is wrong, in French, where, and
		// the corrected query, which one click searches.
		b.do("searching with an unclosed quote", chromedp.Navigate(base+"/?q=%22d%C3%A9fense+a%C3%A9rienne&country=IL"))
		unclosed := b.waitRendered("q=%22")
		if !strings.Contains(unclosed.Error, "caractère 1 : guillemet") || !strings.Contains(unclosed.Error, `Rechercher plutôt "défense aérienne" ?`) {
			t.Errorf("unclosed quote: error shown = %q; want the reason in French, its place and the corrected query", unclosed.Error)
		}
		// The page says it from the API's kind and position, in French only:
		// no line of the server's English message under it.
		for _, english := range []string{"Détail", "bad query", "unclosed", "quote"} {
			if strings.Contains(unclosed.Error, english) {
				t.Errorf("unclosed quote: error shown = %q; want no %q (French only)", unclosed.Error, english)
			}
		}
		if n := eval[int](b, `document.querySelectorAll('#error .detail').length`); n != 0 {
			t.Errorf("unclosed quote: %d detail lines under the error; want none", n)
		}
		if inv := eval[string](b, `document.getElementById('q').getAttribute('aria-invalid') || ''`); inv != "true" {
			t.Errorf("unclosed quote: the search box has aria-invalid=%q; want true", inv)
		}
		b.screenshot(shots, "error-bad-query.png")
		fixed := b.clickInPage("following the corrected query", "#error-fix", "q=%22d%C3%A9fense+a%C3%A9rienne%22", "country=IL")
		checkAgainstAPI(t, "corrected query", fixed, apiSearch(t, base, url.Values{"q": {`"défense aérienne"`}, "country": {"IL"}}))
		if fixed.Error != "" || fixed.Total == 0 {
			t.Errorf("corrected query: error %q, %d results; want no error and results", fixed.Error, fixed.Total)
		}
		if inv := eval[string](b, `document.getElementById('q').getAttribute('aria-invalid') || ''`); inv != "" {
			t.Errorf("corrected query: the search box still has aria-invalid=%q", inv)
		}
		// A query that parses but costs too much (code too_expensive, kind
		// proximity_too_far at the ~): said in French, with its place.
		b.do("searching a phrase with too wide a proximity", chromedp.Navigate(base+"/?q=%22d%C3%A9fense+a%C3%A9rienne%22~500"))
		far := b.waitRendered("~500")
		if want := "Recherche trop coûteuse, caractère 19 : proximité « ~500 » trop large"; !strings.Contains(far.Error, want) || strings.Contains(far.Error, "proximity") {
			t.Errorf(`"défense aérienne"~500: error shown = %q; want %q and no English`, far.Error, want)
		}
		// A query too long: the limit is the server's (the error's limit),
		// the page has no copy of it (no maxlength either).
		b.do("searching a query of 1,001 characters", chromedp.Navigate(base+"/?q="+strings.Repeat("a", 1001)))
		long := b.waitRendered("q=aaa")
		if want := "Requête trop longue : 1\u202f000 caractères au plus."; !strings.Contains(long.Error, want) {
			t.Errorf("a query of 1,001 characters: error shown = %q; want %q", long.Error, want)
		}
	})

	t.Run("unknown document", func(t *testing.T) {
		b := browser.on(t)
		// An unknown document: a message, and the way back.
		b.do("opening an unknown document", chromedp.Navigate(base+"/?q=x&doc=nulle%2Fpart.txt"))
		missing := b.waitRendered("doc=")
		title := eval[string](b, `document.getElementById('doc-title').textContent`)
		if !strings.Contains(missing.Error, "pas (ou plus) dans l’index") || title != "Rapport introuvable" {
			t.Errorf("unknown document: error %q, title %q; want a message and « Rapport introuvable »", missing.Error, title)
		}
	})

	// Last: this closes the server.
	t.Run("browse without words", func(t *testing.T) {
		b := browser.on(t)
		code := wantAll.Facets.Country[0].Code
		v := url.Values{"q": {""}, "country": {code}, "from": {"2000"}}
		want := apiSearch(t, base, v)
		if want.Total == 0 {
			t.Fatalf("the API lists no report for country %s without words", code)
		}
		b.do("opening filters without words", chromedp.Navigate(base+"/?country="+code+"&from=2000"))
		got := b.waitRendered("country=" + code)
		checkAgainstAPI(t, "country "+code+" without words", got, want)
		if title := eval[string](b, `document.title`); !strings.HasPrefix(title, "Rapports filtrés : ") {
			t.Errorf("browse: the page title is %q; want it to start with \"Rapports filtrés : \"", title)
		}
		if hidden := eval[bool](b, `document.getElementById('results').hidden`); hidden {
			t.Errorf("browse: the results are hidden; want the reports of the filters listed")
		}
		if sort := eval[string](b, `(() => { const s = document.getElementById('sort'); return s.value + (s.options[0].disabled ? ' no-relevance' : ''); })()`); sort != "-date no-relevance" {
			t.Errorf("browse: the sort select says %q; want newest first, relevance disabled", sort)
		}
	})

	t.Run("server gone", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening the home page", chromedp.Navigate(base+"/"))
		b.waitRendered()
		site.CloseClientConnections()
		site.Close()
		b.do("searching with the server gone",
			chromedp.SetValue(chromedp.CSS("#q"), "défense"),
			chromedp.Click(chromedp.CSS("#go")))
		gone := b.waitRendered("q=d%C3%A9fense")
		if !strings.Contains(gone.Error, "ne répond pas") {
			t.Errorf("server gone: error shown = %q; want « Le serveur ne répond pas »", gone.Error)
		}
	})
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

// TestBrowserPageSize checks that the page takes the number of hits on a
// page from the server's answer, not from a constant of its own: behind a
// server whose default is 7 hits, it shows 7 a page, numbers them on, and
// counts its pages by 7.
func TestBrowserPageSize(t *testing.T) {
	needChrome(t)
	const size = 7
	site := startSiteWrapped(t, testReports(), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/search" && !r.URL.Query().Has("size") {
				q := r.URL.Query()
				q.Set("size", fmt.Sprint(size))
				r.URL.RawQuery = q.Encode()
			}
			h.ServeHTTP(w, r)
		})
	})
	b := startBrowser(t, site.URL)
	want := apiSearch(t, site.URL, url.Values{"q": {"coopération"}, "page": {"2"}})
	if want.Size != size || want.Total <= 2*size {
		t.Fatalf("the wrapped server answers size %d, total %d; want %d and more than two pages", want.Size, want.Total, size)
	}
	b.do("opening page 2", chromedp.Navigate(site.URL+coopURL+"&page=2"))
	p2 := b.waitRendered("page=2")
	checkAgainstAPI(t, "page 2 of 7 hits", p2, want)
	if start := eval[int](b, `document.getElementById('hits').start`); start != size+1 {
		t.Errorf("page 2 of %d hits: the hits are numbered from %d; want %d", size, start, size+1)
	}
	last := (int(want.Total) + size - 1) / size
	pages := eval[[]string](b, `[...document.querySelectorAll('#pages li')].map((li) => li.textContent)`)
	if !slices.Contains(pages, fmt.Sprint(last)) || slices.Contains(pages, fmt.Sprint(last+1)) {
		t.Errorf("%d results, %d a page: page links %q; want the last one %d", want.Total, size, pages, last)
	}
}
