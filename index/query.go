package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the user query syntax.
const (
	// MaxClauses is the most words, phrases and prefixes a query may hold.
	MaxClauses = 64
	// MaxDepth is the deepest nesting of parentheses.
	MaxDepth = 8
	// MinPrefixLen is the fewest characters before the * of a prefix.
	MinPrefixLen = 2
	// MaxPrefixTerms is the most distinct index terms a prefix may expand to.
	MaxPrefixTerms = 5000
	// MaxQueryPrefixTerms is the most index terms all the prefixes of a
	// query may expand to, counted once per field (title, body): each
	// term costs a searcher, and their memory, in every search the query
	// runs.
	MaxQueryPrefixTerms = 20_000
)

// maxQueryPrefixTerms is MaxQueryPrefixTerms, lowered by tests.
var maxQueryPrefixTerms = MaxQueryPrefixTerms

// nodeKind says what a query node is.
type nodeKind uint8

const (
	nodeWord   nodeKind = iota // one word, analyzed
	nodePhrase                 // "words in a row"
	nodePrefix                 // prefix*
	nodeAnd                    // every child (the top level and groups)
	nodeOr                     // any child
	nodeNear                   // "words"~N: within N positions, any order
)

// sign is the +/- before a clause.
type sign int8

const (
	signNone     sign = 0
	signRequired sign = 1
	signExcluded sign = -1
)

// node is one element of a parsed query.
type node struct {
	kind  nodeKind
	text  string // word, phrase or prefix (without the *)
	title bool   // title: restricts to the title field
	exact bool   // exact: matches the exact forms only
	sign  sign
	pos   int // 1-based character position in the query
	slop  int // N of "words"~N
	kids  []*node
}

// String prints the node in a compact form used by tests.
func (n *node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.sign {
	case signRequired:
		b.WriteByte('+')
	case signExcluded:
		b.WriteByte('-')
	}
	if n.title {
		b.WriteString("title:")
	}
	if n.exact {
		b.WriteString("exact:")
	}
	switch n.kind {
	case nodeWord:
		b.WriteString(n.text)
	case nodePhrase:
		fmt.Fprintf(b, "%q", n.text)
	case nodeNear:
		fmt.Fprintf(b, "%q~%d", n.text, n.slop)
	case nodePrefix:
		b.WriteString(n.text + "*")
	case nodeAnd, nodeOr:
		op := " "
		if n.kind == nodeOr {
			op = " OR "
			b.WriteString("{")
		} else {
			b.WriteString("(")
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(op)
			}
			k.write(b)
		}
		if n.kind == nodeOr {
			b.WriteString("}")
		} else {
			b.WriteString(")")
		}
	}
}

// parser reads the user syntax:
//
//	query  = clause { ["OR"] clause }
//	clause = ["+" | "-" | "NOT"] {field ":"} (word | word "*" | '"' phrase '"' ["~" N] | "(" query ")")
//	field  = "title" | "exact"
type parser struct {
	src     string
	i       int // byte offset
	clauses int
	depth   int
}

// parseQuery parses s into an AND node. Errors are a *QueryError saying
// where the problem is, or a *RequestError on "q" for a text too long or
// blank.
func parseQuery(s string) (*node, error) {
	if err := checkQueryText(s); err != nil {
		return nil, err
	}
	p := &parser{src: s}
	n, err := p.parseSeq(false)
	if err != nil {
		return nil, err
	}
	if len(n.kids) == 0 {
		return nil, &QueryError{Kind: KindEmpty, Msg: fmt.Sprintf("no word to search for in %q", s), Err: ErrEmptyQuery}
	}
	return n, nil
}

// col returns the 1-based character position of byte offset i.
func (p *parser) col(i int) int { return utf8.RuneCountInString(p.src[:i]) + 1 }

// errorf returns a QueryError of kind at byte offset at.
func (p *parser) errorf(at int, kind, format string, args ...any) error {
	return &QueryError{Pos: p.col(at), Kind: kind, Msg: fmt.Sprintf(format, args...), Err: ErrBadQuery}
}

func (p *parser) skipSpace() {
	for p.i < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.i:])
		if !unicode.IsSpace(r) {
			return
		}
		p.i += size
	}
}

// isDelim reports whether r ends a bare word.
func isDelim(r rune) bool {
	return unicode.IsSpace(r) || r == '"' || r == '(' || r == ')'
}

// peekWord returns the bare word at p.i without consuming it.
func (p *parser) peekWord() string {
	j := p.i
	for j < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[j:])
		if isDelim(r) {
			break
		}
		j += size
	}
	return p.src[p.i:j]
}

// parseSeq parses clauses until the end of input or, in a group, ")".
func (p *parser) parseSeq(inGroup bool) (*node, error) {
	and := &node{kind: nodeAnd, pos: p.col(p.i)}
	pendingOr := -1 // byte offset of an OR waiting for its right operand
	for {
		p.skipSpace()
		if p.i >= len(p.src) {
			break
		}
		if p.src[p.i] == ')' {
			if !inGroup {
				return nil, p.errorf(p.i, KindUnexpectedParen, "unexpected )")
			}
			break
		}
		w := p.peekWord()
		if w == "OR" || w == "|" || w == "||" {
			if len(and.kids) == 0 || pendingOr >= 0 {
				return nil, p.errorf(p.i, KindOrWithoutLeft, "OR without a term before it")
			}
			pendingOr = p.i
			p.i += len(w)
			continue
		}
		if w == "AND" || w == "&&" {
			// Words are ANDed anyway.
			p.i += len(w)
			continue
		}
		c, err := p.parseClause()
		if err != nil {
			return nil, err
		}
		if c == nil {
			continue
		}
		if pendingOr >= 0 {
			left := and.kids[len(and.kids)-1]
			if left.sign == signExcluded || c.sign == signExcluded {
				return nil, p.errorf(pendingOr, KindOrNextToExcluded, "OR next to an excluded term")
			}
			if left.kind == nodeOr && left.sign == signNone {
				left.kids = append(left.kids, c)
			} else {
				and.kids[len(and.kids)-1] = &node{kind: nodeOr, pos: left.pos, kids: []*node{left, c}}
			}
			pendingOr = -1
			continue
		}
		and.kids = append(and.kids, c)
	}
	if pendingOr >= 0 {
		return nil, p.errorf(pendingOr, KindOrWithoutRight, "OR without a term after it")
	}
	return and, nil
}

// parseClause parses one signed, field-prefixed clause. It returns nil for a
// clause that holds nothing to search (a lone sign is an error).
func (p *parser) parseClause() (*node, error) {
	start := p.i
	s := signNone
	switch {
	case p.src[p.i] == '+':
		s = signRequired
		p.i++
	case p.src[p.i] == '-':
		s = signExcluded
		p.i++
	case p.peekWord() == "NOT":
		s = signExcluded
		p.i += 3
		p.skipSpace()
	}
	if s != signNone && (p.i >= len(p.src) || isSpaceAt(p.src, p.i) || p.src[p.i] == ')') {
		if s == signExcluded && p.i-start == 1 && p.i < len(p.src) && isSpaceAt(p.src, p.i) {
			// A dash between spaces is punctuation: "Paris - Lyon".
			return nil, nil
		}
		return nil, p.errorf(start, KindNoTerm, "%q without a term after it", p.src[start:p.i])
	}
	var title, exact bool
	for {
		w := p.peekWord()
		switch {
		case strings.HasPrefix(w, "title:") && !title:
			title = true
			p.i += len("title:")
			continue
		case strings.HasPrefix(w, "exact:") && !exact:
			exact = true
			p.i += len("exact:")
			continue
		}
		break
	}
	fieldEnd := p.i
	if (title || exact) && (p.i >= len(p.src) || isSpaceAt(p.src, p.i) || p.src[p.i] == ')') {
		return nil, p.errorf(start, KindNoTerm, "%q without a term after it", p.src[start:fieldEnd])
	}
	n, err := p.parseAtom()
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, nil
	}
	n.pos = p.col(start)
	n.sign = s
	if title || exact {
		if err := setFields(n, title, exact); err != nil {
			return nil, p.errorf(start, KindBadField, "%v", err)
		}
	}
	return n, nil
}

// setFields applies title: and exact: to n and, for a group, its words.
func setFields(n *node, title, exact bool) error {
	n.title = n.title || title
	n.exact = n.exact || exact
	for _, k := range n.kids {
		if err := setFields(k, title, exact); err != nil {
			return err
		}
	}
	return nil
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// parseAtom parses a word, prefix, phrase or group at p.i.
func (p *parser) parseAtom() (*node, error) {
	start := p.i
	switch p.src[p.i] {
	case '"':
		end := strings.IndexByte(p.src[p.i+1:], '"')
		if end < 0 {
			return nil, p.errorf(start, KindUnclosedQuote, "unclosed quote")
		}
		text := p.src[p.i+1 : p.i+1+end]
		p.i += end + 2
		if p.i < len(p.src) && p.src[p.i] == '*' {
			return nil, p.errorf(p.i, KindPrefixAfterPhrase, "* after a phrase (a prefix is a single word: word*)")
		}
		slop := -1
		if p.i < len(p.src) && p.src[p.i] == '~' {
			at := p.i
			p.i++
			j := p.i
			for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
				j++
			}
			if j == p.i || (j < len(p.src) && !isDelim(rune(p.src[j]))) {
				return nil, p.errorf(at, KindBadProximity, "~ after a phrase takes a number of positions (\"a b\"~5)")
			}
			n, err := strconv.Atoi(p.src[p.i:j])
			if err != nil || n > MaxSlop {
				return nil, &QueryError{Pos: p.col(at), Kind: KindProximityTooFar, Msg: fmt.Sprintf("proximity ~%s is more than %d positions", p.src[p.i:j], MaxSlop), Err: ErrTooExpensive}
			}
			slop = n
			p.i = j
		}
		if strings.TrimSpace(text) == "" {
			return nil, nil
		}
		if err := p.count(start); err != nil {
			return nil, err
		}
		if slop >= 0 {
			return &node{kind: nodeNear, text: text, slop: slop}, nil
		}
		return &node{kind: nodePhrase, text: text}, nil
	case '(':
		p.depth++
		if p.depth > MaxDepth {
			return nil, &QueryError{Pos: p.col(start), Kind: KindTooDeep, Msg: fmt.Sprintf("parentheses nested deeper than %d", MaxDepth), Err: ErrTooExpensive}
		}
		p.i++
		g, err := p.parseSeq(true)
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.src) {
			return nil, p.errorf(start, KindUnclosedParen, "unclosed parenthesis")
		}
		p.i++ // ')'
		p.depth--
		switch len(g.kids) {
		case 0:
			return nil, nil
		case 1:
			if g.kids[0].sign == signNone {
				return g.kids[0], nil
			}
		}
		return g, nil
	}
	w := p.peekWord()
	p.i += len(w)
	if strings.HasSuffix(w, "*") {
		stem := strings.TrimRight(w, "*")
		if strings.ContainsRune(stem, '*') {
			return nil, p.errorf(start+strings.IndexByte(w, '*'), KindStarInsideWord, "* inside a word (only word* is supported)")
		}
		if utf8.RuneCountInString(stem) < MinPrefixLen {
			return nil, p.errorf(start, KindPrefixTooShort, "prefix %q is shorter than %d characters", w, MinPrefixLen)
		}
		if err := p.count(start); err != nil {
			return nil, err
		}
		return &node{kind: nodePrefix, text: stem}, nil
	}
	if k := strings.IndexByte(w, '*'); k >= 0 {
		return nil, p.errorf(start+k, KindStarInsideWord, "* inside a word (only word* is supported)")
	}
	if err := p.count(start); err != nil {
		return nil, err
	}
	return &node{kind: nodeWord, text: w}, nil
}

// count counts one more leaf clause against MaxClauses.
func (p *parser) count(at int) error {
	p.clauses++
	if p.clauses > MaxClauses {
		return &QueryError{Pos: p.col(at), Kind: KindTooManyClauses, Msg: fmt.Sprintf("more than %d words, phrases and prefixes", MaxClauses), Err: ErrTooExpensive}
	}
	return nil
}
