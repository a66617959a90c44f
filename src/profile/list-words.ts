/** ["nginx", "haproxy", "apache"], "or" → "nginx, haproxy or apache". */
export function listWords(words: readonly string[], conjunction: 'and' | 'or'): string {
  if (words.length < 2) return words.join('')
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`
}
