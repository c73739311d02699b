package corpus

import "testing"

func TestMarkdownText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "L'armée israélienne a tiré.", "L'armée israélienne a tiré."},
		{"heading", "## Un panier de systèmes\nLe texte.", "Un panier de systèmes\nLe texte."},
		{"hash in text", "Le mot-clé #OTAN reste.", "Le mot-clé #OTAN reste."},
		{"seven hashes", "####### pas un titre", "####### pas un titre"},
		{"emphasis", "l'*European Sky Shield Initiative* (ESSI) et **Berlin**", "l'European Sky Shield Initiative (ESSI) et Berlin"},
		{"underscore emphasis", "_Le Monde_ et nom_de_code", "Le Monde et nom_de_code"},
		{"link", "selon [l'ONU](https://example.org/onu) hier", "selon l'ONU hier"},
		{"image", "![carte du Sahel](carte.png)", "carte du Sahel"},
		{"quote", "> « Nous ne céderons pas »\n", "« Nous ne céderons pas »\n"},
		{"code", "la commande `rapports index`", "la commande rapports index"},
		{"fence", "avant\n```\n*brut*\n```\naprès", "avant\n*brut*\naprès"},
		{"unclosed link", "[pas un lien", "[pas un lien"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := markdownText(tc.in); got != tc.want {
				t.Errorf("markdownText(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}
