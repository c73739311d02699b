package analyzers

// frenchStopWords is the Snowball French stop-word list (BSD licence,
// snowballstem.org/algorithms/french/stop.txt), completed with the other
// determiners, pronouns and conjunctions that carry no search meaning.
// Folded forms ("etait", "meme") are added when the filter is built.
// Two words of the Snowball list are kept because in news they are mostly
// nouns: "avions" (13,040 TV news reports: about 245 of 274 are planes,
// "des avions", "porte-avions"; 27 are "nous avions") and "or" (gold: "l'or",
// "médaille d'or", 371 times, against 82 sentences starting "Or,").
var frenchStopWords = []string{
	// Snowball list.
	"au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en",
	"et", "eux", "il", "je", "la", "le", "leur", "lui", "ma", "mais", "me",
	"même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou",
	"par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur",
	"ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous",
	"c", "d", "j", "l", "à", "m", "n", "s", "t", "y",
	"été", "étée", "étées", "étés", "étant", "suis", "es", "est", "sommes",
	"êtes", "sont", "serai", "seras", "sera", "serons", "serez", "seront",
	"serais", "serait", "serions", "seriez", "seraient", "étais", "était",
	"étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes", "furent",
	"sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fût",
	"fussions", "fussiez", "fussent",
	"ayant", "eu", "eue", "eues", "eus", "ai", "as", "avons", "avez", "ont",
	"aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais", "aurait",
	"aurions", "auriez", "auraient", "avais", "avait", "aviez",
	"avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait",
	"ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez",
	"eussent",
	"ceci", "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs",
	"quel", "quels", "quelle", "quelles", "sans", "soi",
	// Completions: pronouns, relatives, conjunctions, contracted articles.
	"elles", "ça", "celle", "celles", "celui", "ceux", "dont", "où", "lequel",
	"laquelle", "lesquels", "lesquelles", "auquel", "auxquels", "auxquelles",
	"duquel", "desquels", "desquelles", "donc", "ni", "car", "si",
	"lorsque", "puisque", "quoique", "jusque", "nôtre", "vôtre", "nôtres",
	"vôtres", "mien", "mienne", "tien", "tienne", "sien", "sienne", "lors",
}
