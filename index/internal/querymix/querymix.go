// Package querymix is the fixed mix of search requests used to measure
// query latency on the tvnews-fr corpus: single words (common and rare),
// two-word ANDs, phrases and the other operators, with and without country
// and date filters, all with both facets and highlighting.
package querymix

import "github.com/rapports/rapports/index"

var (
	common  = []string{"france", "gouvernement", "président", "police", "enfants", "travail", "prix", "guerre", "école", "santé"}
	rare    = []string{"cryptomonnaie", "vendanges", "apiculteurs", "mammouth", "biathlon", "ouragan", "tramway", "sécheresse", "truffes", "funiculaire"}
	twoWord = []string{"réforme retraites", "prix carburant", "grève SNCF", "élection présidentielle", "vague chaleur",
		"marché noël", "violences policières", "pouvoir achat", "guerre Ukraine", "gilets jaunes"}
	phrases = []string{`"pouvoir d'achat"`, `"gilets jaunes"`, `"réchauffement climatique"`, `"assemblée nationale"`, `"premier ministre"`,
		`"coupe du monde"`, `"intelligence artificielle"`, `"état d'urgence"`, `"fin de vie"`, `"contrôle technique"`}
	operators = []string{"exact:grèves", "vaccin*", "title:incendie", "inflation OR chômage", "drones -Ukraine",
		`exact:"prix de l'essence"`, "inond* Bretagne", "title:exact:neige", "(Macron OR Hollande) Allemagne", "+le climat"}
	countries = [][]string{{"FR"}, {"US"}, {"UA", "RU"}, {"DE"}, {"IT", "ES"}}
	dates     = [][2]string{{"2015", "2016"}, {"2020", ""}, {"2022-06", "2023-06"}, {"", "2014"}, {"2019-03-01", "2019-09-30"}}
)

// Requests returns the 200 requests of the mix, always in the same order.
func Requests() []index.Request {
	groups := [][]string{common, rare, twoWord, phrases, operators}
	out := make([]index.Request, 0, 200)
	for i := range 200 {
		g := groups[i%len(groups)]
		r := index.Request{Query: g[(i/len(groups))%len(g)], Highlight: true, Size: 10}
		switch (i / 50) % 4 {
		case 1:
			r.Countries = countries[i%len(countries)]
		case 2:
			d := dates[i%len(dates)]
			r.From, r.To = d[0], d[1]
		case 3:
			r.Countries = countries[i%len(countries)]
			d := dates[(i+1)%len(dates)]
			r.From, r.To = d[0], d[1]
		}
		out = append(out, r)
	}
	return out
}

// luceneQueries are the 20 queries of the Lucene peer's query mix
// (../shared/peers/lucene/README.md, LucenePeer.QUERIES), in its order.
var luceneQueries = []string{"armée", "grève", "France", "président", "réforme retraites", "guerre Ukraine",
	`"coupe du monde"`, `"gilets jaunes"`, "enfants", "école", "inondations", "police", "gouvernement",
	`"premier ministre"`, "Israël", "vaccins", "pétrole", "incendies forêt", "météo", "neige"}

// Lucene returns the 20 requests of the Lucene peer's query mix, as the
// HTTP API asks them by default with highlighting: top 10 with fragments,
// exact total, the date histogram by year (the corpus spans more than
// three years), and the country and organisation facets (20 rows each;
// the peer counts one keyword facet, the source).
func Lucene() []index.Request {
	out := make([]index.Request, len(luceneQueries))
	for i, q := range luceneQueries {
		out[i] = index.Request{Query: q, Highlight: true, Size: 10, Facets: index.FacetOptions{DateInterval: "year"}}
	}
	return out
}
