package index_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/rapports/rapports/index"
)

// After AddPaths of a folder, UpdatePaths re-reads only the paths that
// changed (as file events name them): a changed file is replaced, a new
// one added, a removed one's reports removed; the other files are not
// read.
func ExampleIndex_UpdatePaths() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rapports-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	write("2024/manama.txt", "Les chefs d'état-major se sont réunis à Bahreïn.\n")
	write("2024/dakar.txt", "Le scrutin s'est tenu dans le calme au Sénégal.\n")
	write("notes.md", "La défense aérienne a intercepté les drones.\n")
	idx, err := index.OpenMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()
	st, err := idx.AddPaths(ctx, []string{dir}, index.AddOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Added, "added")

	write("notes.md", "La défense aérienne a intercepté les drones iraniens.\n")
	write("2025/amman.txt", "Le roi de Jordanie a reçu les ministres.\n")
	if err := os.Remove(filepath.Join(dir, "2024/dakar.txt")); err != nil {
		log.Fatal(err)
	}
	st, err = idx.UpdatePaths(ctx, dir, []string{"notes.md", "2025", "2024/dakar.txt"}, index.AddOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Files, "files read:", st.Added, "added,", st.Updated, "updated,", st.Removed, "removed")
	// Output:
	// 3 added
	// 2 files read: 1 added, 1 updated, 1 removed
}
