// Package corpus turns report files into Reports with clean metadata: an ID,
// a title, a date with its precision, the countries named (ISO 3166-1
// alpha-2, in order of first mention, with their mention counts), the source
// and the body text.
//
// Walk reads a file or a folder from disk and WalkFS reads an fs.FS;
// WalkPaths reads only some paths under a folder, with the IDs Walk of the
// folder gives them (to re-read what changed). All
// visit files in a deterministic (sorted) order, skip hidden files and
// folders, and read:
//
//   - .txt and .md: optional header lines at the top ("date 2024-06",
//     "title: ...", "country: IL, BH", "source: ...", "url: ..."; French
//     keys "titre", "pays" and "lien" too), possibly inline with the first
//     sentence, or a Markdown front matter between "---" lines; without a
//     title header, a short first line followed by a blank line (or a
//     Markdown heading) is the title, else the first sentence;
//   - .json (an object or an array of objects) and .jsonl / .ndjson (one
//     object a line), with the fields id, title, date, country or countries,
//     source, url, and text, body or content;
//   - .html and .htm: the text without tags, scripts or styles;
//   - any of those compressed with gzip (".jsonl.gz"), streamed.
//
// JSON Lines files stream line by line (a line may be up to MaxLineSize);
// the other formats are read whole, up to MaxFileSize. Files of any other
// format, and documents without text, are skipped and passed to
// Options.OnSkip.
//
// Text is decoded from UTF-8 (with or without BOM), UTF-16 with BOM, or
// Windows-1252. Bad input never stops a walk: each problem is passed to
// Options.OnProblem with the file and line, the faulty report or file is
// skipped, and the walk goes on.
//
// Dates come from the header or JSON field first, otherwise from the first
// date written near the start of the text (ParseDate lists the forms). A
// date field that is not a date is reported, and the report is kept
// without date. Countries come from the header or JSON field first, then
// from a gazetteer of French names, adjectives and places matched on
// accent-folded words (FindCountries); the gazetteer is the embedded file
// countries.tsv. French overseas territories with their own ISO 3166-1
// code (GP, MQ, GF, RE, YT, NC, PF...) give that code, not FR.
//
// Organisations (the UN system, EU institutions, NATO, the African Union,
// ECOWAS, international courts, NGOs, armed groups, parties, French state
// institutions) come from a second gazetteer, the embedded file
// organizations.tsv (FindOrganizations): acronyms with or without dots,
// French and English names, longest match, acronyms whose lower case is a
// common word in capitals only, ambiguous forms ("PS", "Wagner") only with
// a context word. OrganizationNamed and OrganizationForms serve query
// expansion: "ONU" also searches "Nations unies" and "United Nations".
package corpus
