// Command lexgen writes the French lexicon that the analyzers embed
// (analyzers/lexicon.txt.gz) from Debian's French Hunspell dictionary; see
// package lexicon. It runs from go generate in analyzers/:
//
//	apt-get install hunspell-fr-classical
//	go generate ./analyzers
package main

import (
	"flag"
	"log"

	"github.com/rapports/rapports/analyzers/internal/lexicon"
)

func main() {
	affPath := flag.String("aff", "/usr/share/hunspell/fr.aff", "Hunspell affix file")
	dicPath := flag.String("dic", "/usr/share/hunspell/fr.dic", "Hunspell dictionary file")
	out := flag.String("out", "lexicon.txt.gz", "output file")
	flag.Parse()
	lex, err := lexicon.Build(*affPath, *dicPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := lex.Write(*out); err != nil {
		log.Fatal(err)
	}
	forms, lemmas := lex.Len()
	log.Printf("lexgen: %d forms of %d lemmas; %d keys written to %s", forms, lemmas, lex.Written(), *out)
}
