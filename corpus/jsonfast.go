package corpus

import (
	"strings"
	"unicode/utf8"
)

// fastRecord decodes data, one JSON object, without encoding/json's
// reflection when it has the usual shape: keys among the fields of record
// written in lowercase, each once or more (the last one counts, as with
// encoding/json), with string values whose escapes are not \u (a list of
// them for the country fields). ok is false
// for anything else (other keys, other values, \u escapes, a syntax
// error...), which decodeRecord then decodes, with its errors. When ok, f
// is what decodeRecord returns.
//
// On the 233,987 reports of tvnews-fr, encoding/json took 2.4 of the 13
// CPU-s of the walk.
func fastRecord(data []byte) (f fields, ok bool) {
	if !utf8.Valid(data) {
		return fields{}, false // encoding/json replaces invalid bytes
	}
	i := skipSpace(data, 0)
	if i == len(data) || data[i] != '{' {
		return fields{}, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return f, skipSpace(data, i+1) == len(data)
	}
	for {
		key, next, ok := jsonFastKey(data, i)
		if !ok {
			return fields{}, false
		}
		i = skipSpace(data, next)
		if i == len(data) || data[i] != ':' {
			return fields{}, false
		}
		i = skipSpace(data, i+1)
		var dst *string
		switch string(key) {
		case "id":
			dst = &f.id
		case "title":
			dst = &f.title
		case "date":
			dst = &f.date
		case "source":
			dst = &f.source
		case "url":
			dst = &f.url
		case "text":
			dst = &f.text
		case "body":
			dst = &f.body
		case "content":
			dst = &f.content
		case "country", "countries":
		default:
			return fields{}, false
		}
		if dst != nil {
			if *dst, next, ok = jsonFastString(data, i); !ok {
				return fields{}, false
			}
		} else {
			list := &f.country
			if string(key) == "countries" {
				list = &f.countries
			}
			if *list, next, ok = jsonFastStrings(data, i); !ok {
				return fields{}, false
			}
		}
		i = skipSpace(data, next)
		if i == len(data) {
			return fields{}, false
		}
		if data[i] == '}' {
			break
		}
		if data[i] != ',' {
			return fields{}, false
		}
		i = skipSpace(data, i+1)
	}
	if skipSpace(data, i+1) != len(data) {
		return fields{}, false
	}
	f.id = strings.TrimSpace(f.id)
	return f, true
}

// skipSpace returns the index of the first byte of data at or after i
// that is not JSON white space.
func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// jsonFastKey returns the content of the JSON string at data[i], which has
// no escapes, and the index after it; ok is false when there is no such
// string there.
func jsonFastKey(data []byte, i int) (key []byte, next int, ok bool) {
	if i == len(data) || data[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return data[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// jsonFastStrings decodes the JSON string or array of strings at data[i]
// as a list, as jsonStrings does, and returns the index after it.
func jsonFastStrings(data []byte, i int) (list []string, next int, ok bool) {
	if i == len(data) || data[i] != '[' {
		s, next, ok := jsonFastString(data, i)
		if !ok {
			return nil, 0, false
		}
		return []string{s}, next, true
	}
	list = []string{} // as encoding/json decodes []
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return list, i + 1, true
	}
	for {
		s, next, ok := jsonFastString(data, i)
		if !ok {
			return nil, 0, false
		}
		list = append(list, s)
		i = skipSpace(data, next)
		if i == len(data) {
			return nil, 0, false
		}
		if data[i] == ']' {
			return list, i + 1, true
		}
		if data[i] != ',' {
			return nil, 0, false
		}
		i = skipSpace(data, i+1)
	}
}

// jsonFastString decodes the JSON string at data[i] and returns it with
// the index after it; ok is false when there is no string there or it
// holds a \u escape (left to encoding/json, with its handling of
// surrogates). data is valid UTF-8.
func jsonFastString(data []byte, i int) (s string, next int, ok bool) {
	if i == len(data) || data[i] != '"' {
		return "", 0, false
	}
	start := i + 1
	j := start
	for ; j < len(data); j++ {
		c := data[j]
		if c == '"' {
			return string(data[start:j]), j + 1, true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", 0, false
		}
	}
	// An escape: find the end of the string to size the copy.
	end := j
	for end < len(data) && data[end] != '"' {
		if data[end] == '\\' {
			end++
		}
		end++
	}
	var b strings.Builder
	b.Grow(min(end, len(data)) - start)
	b.Write(data[start:j])
	for j < len(data) {
		c := data[j]
		switch {
		case c == '"':
			return b.String(), j + 1, true
		case c < 0x20:
			return "", 0, false
		case c != '\\':
			// Copy the run of plain bytes up to the next quote or escape.
			k := j + 1
			for k < len(data) && data[k] != '"' && data[k] != '\\' && data[k] >= 0x20 {
				k++
			}
			b.Write(data[j:k])
			j = k
			continue
		}
		if j+1 == len(data) {
			return "", 0, false
		}
		switch data[j+1] {
		case '"', '\\', '/':
			b.WriteByte(data[j+1])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			return "", 0, false
		}
		j += 2
	}
	return "", 0, false
}
