import { describe, expect, it } from 'vitest';
import { compileDotNetRegex } from '../packages/uet-tag-status/src/uet/regex/compileDotNetRegex.js';
import { parseDotNetRegex } from '../packages/uet-tag-status/src/uet/regex/parseDotNetRegex.js';
import { RegexRefusal } from '../packages/uet-tag-status/src/uet/regex/RegexRefusal.js';
import { requiredLiterals } from '../packages/uet-tag-status/src/uet/regex/requiredLiterals.js';
import { toJavaScriptSource } from '../packages/uet-tag-status/src/uet/regex/toJavaScriptSource.js';

function refusal(pattern: string): RegexRefusal {
  try {
    compileDotNetRegex(pattern);
  } catch (error) {
    expect(error).toBeInstanceOf(RegexRefusal);
    return error as RegexRefusal;
  }
  throw new Error(`expected ${pattern} to be refused`);
}

const matches = (pattern: string, text: string) => compileDotNetRegex(pattern).regExp.test(text);

describe('.NET regular expressions refused (M2)', () => {
  const refused: [name: string, pattern: string, construct: string, offset: number][] = [
    ['inline option (?i)', '(?i)thanks', '(?i)', 0],
    ['inline options with a scope', 'a(?imnsx-imnsx:b)', '(?imnsx-imnsx:', 1],
    ['inline options turned off', '(?-i)b', '(?-i)', 0],
    ['an atomic group', '(?>a+)b', '(?>', 0],
    ['a possessive *+', 'a*+b', '*+', 1],
    ['a possessive ++', 'a++', '++', 1],
    ['a possessive ?+', 'a?+', '?+', 1],
    ['a possessive {n}+', 'a{2}+', '{2}+', 1],
    ['a nested quantifier', 'a{3}{2}', '{3}{2}', 1],
    ['a lazy quantifier quantified', 'a*??', '*??', 1],
    ["a named group (?'name'…)", "(?'id'\\d+)", "(?'", 0],
    ['a conditional', '(?(1)a|b)', '(?(', 0],
    ['a balancing group', '(?<open-close>x)', '(?<open-close>', 0],
    ['a balancing group without a name', '(?<-close>x)', '(?<-close>', 0],
    ['\\A', '\\Ahttps', '\\A', 0],
    ['\\Z', 'html\\Z', '\\Z', 4],
    ['\\z', 'html\\z', '\\z', 4],
    ['\\G', '\\Ga', '\\G', 0],
    ['a class subtraction', '[a-z-[aeiou]]', '-[', 4],
    ['a class subtraction after a class escape', '[\\d-[5]]', '-[', 3],
    ['a Unicode block', '\\p{IsGreek}+', '\\p{IsGreek}', 0],
    ['a negated Unicode block', '[\\P{IsBasicLatin}]', '\\P{IsBasicLatin}', 1],
    ['a braced code point', '\\x{41}', '\\x{41}', 0],
    ['an inline comment', 'a(?#note)b', '(?#', 1],
    ['{,n}', 'a{,3}', '{,3}', 1],
    ['{,n} with nothing before', '{,3}', '{,3}', 0],
    ['a backreference', '(a)\\1', '\\1', 3],
    ['a named backreference', '(?<x>a)\\k<x>', '\\k', 7],
    ['an octal escape', '\\012', '\\0', 0],
    ['an octal escape in a class', '[\\12]', '\\1', 1],
    ['a category of upper-case letters', '\\p{Lu}', '\\p{Lu}', 0],
    ['a category of lower-case letters', '[\\p{Ll}]', '\\p{Ll}', 1],
    ['a category of title-case letters', '\\P{Lt}', '\\P{Lt}', 0],
    ['an unknown category', '\\p{Letter}', '\\p{Letter}', 0],
    ['\\p without braces', '\\pL', '\\pL', 0],
    ['a POSIX class', '[[:alpha:]]', '[:', 1],
    ['an unknown escape of a letter', 'a\\qb', '\\q', 1],
    ['an unknown escape of an underscore', '\\_', '\\_', 0],
    ['\\B in a class', '[\\B]', '\\B', 1],
    ['a short \\x', '\\x4', '\\x', 0],
    ['a short \\u', '\\u41', '\\u', 0],
    ['\\c without a letter', '\\c1', '\\c1', 0],
    ['a quantifier with nothing to repeat', '*thanks', '*', 0],
    ['a quantifier after an alternation bar', 'a|+b', '+', 2],
    ['a counted quantifier with nothing to repeat', '{2}a', '{2}', 0],
    ['a quantified anchor', '^*a', '*', 1],
    ['a quantified lookahead', '(?=a)+', '+', 5],
    ['a quantified word boundary', '\\b{2}', '{2}', 2],
    ['a count in reverse order', 'a{3,2}', '{3,2}', 1],
    ['a count too large', 'a{2147483648}', '{2147483648}', 1],
    ['a range in reverse order', '[z-a]', 'z-a', 1],
    ['a range from a class', '[\\w-z]', '-', 3],
    ['a range to a class', '[a-\\d]', '-', 5],
    ['an unclosed class', '[abc', '[', 0],
    ['an unclosed group', '(abc', '(', 0],
    ['an unmatched )', 'abc)', ')', 3],
    ['a lone backslash at the end', 'abc\\', '\\', 3],
    ['an empty group name', '(?<>a)', '(?<>', 0],
    ['a Python named group', '(?P<x>a)', '(?P', 0],
    ['an unknown group', '(?~a)', '(?~', 0],
  ];
  for (const [name, pattern, construct, offset] of refused) {
    it(`M2 refuses ${name}, naming ${construct} at offset ${offset}`, () => {
      const error = refusal(pattern);
      expect([error.construct, error.offset]).toEqual([construct, offset]);
      expect(error.message).toBe(`${construct} at offset ${offset}: ${error.reason}`);
    });
  }
});

describe('.NET regular expressions Microsoft users write (M2)', () => {
  const corpus: [pattern: string, matching: string[], notMatching: string[]][] = [
    [
      '\\/thanks',
      ['https://contoso.com/thanks', 'https://contoso.com/Thanks.html'],
      ['https://contoso.com/thank'],
    ],
    [
      'confirm(ation)?\\.html',
      ['https://contoso.com/confirm.html', 'https://contoso.com/order/confirmation.html?x=1'],
      ['https://contoso.com/confirmed.html', 'https://contoso.com/confirmxhtml'],
    ],
    [
      'order-\\d+',
      ['https://contoso.com/order-42', 'https://contoso.com/ORDER-7/done'],
      ['https://contoso.com/order-x'],
    ],
    [
      '^https?://(www\\.)?contoso\\.com/checkout',
      [
        'https://www.contoso.com/checkout/done',
        'http://contoso.com/checkout',
        'HTTPS://CONTOSO.COM/Checkout',
      ],
      ['https://shop.contoso.com/checkout', 'https://evil.example/?u=https://contoso.com/checkout'],
    ],
    [
      'thank-?you',
      ['https://contoso.com/thankyou', 'https://contoso.com/thank-you/'],
      ['https://contoso.com/thank_you'],
    ],
    [
      '/checkout/(complete|success)',
      ['https://contoso.com/checkout/success?id=9'],
      ['https://contoso.com/checkout/failed'],
    ],
    [
      '\\.pdf$',
      ['https://contoso.com/brochure.PDF'],
      ['https://contoso.com/brochure.pdf?download=1'],
    ],
    [
      '[?&]utm_source=bing(&|$)',
      ['https://contoso.com/?a=1&utm_source=bing'],
      ['https://contoso.com/?utm_source=bingo'],
    ],
    [
      'contoso\\.com/products/[a-z0-9-]+/buy',
      ['https://contoso.com/products/blue-shoe-42/buy'],
      ['https://contoso.com/products//buy'],
    ],
    [
      '^https://shop\\.contoso\\.com/.*/confirmation',
      ['https://shop.contoso.com/eu/fr/confirmation'],
      ['https://shop.contoso.com/confirmation'],
    ],
    [
      '/(en|de|fr)-[a-z]{2}/thanks',
      ['https://contoso.com/de-at/thanks'],
      ['https://contoso.com/de-austria/thanks'],
    ],
    [
      'step=[3-5]\\b',
      ['https://contoso.com/?step=4&x', 'https://contoso.com/?step=5'],
      ['https://contoso.com/?step=45'],
    ],
    [
      'id=\\w{8}-\\w{4}',
      ['https://contoso.com/?id=6d5b2c1e-aa41'],
      ['https://contoso.com/?id=6d5b2c1e_aa41'],
    ],
    [
      'success\\.aspx\\?ref=[^&]+',
      ['https://contoso.com/success.aspx?ref=a1'],
      ['https://contoso.com/success.aspx?ref=&x'],
    ],
    ['thanks', ['https://contoso.com/a/thanks/b'], ['https://contoso.com/']],
  ];
  for (const [pattern, matching, notMatching] of corpus) {
    it(`M1 M2 ${pattern} is accepted and matches case-insensitively, anywhere in the URL`, () => {
      expect(matching.map((url) => matches(pattern, url))).toEqual(matching.map(() => true));
      expect(notMatching.map((url) => matches(pattern, url))).toEqual(notMatching.map(() => false));
    });
  }
});

describe('.NET regular expressions read as .NET reads them (M2)', () => {
  it('M2 . is any code unit but \\n: it matches \\r and U+2028, which JavaScript . does not', () => {
    expect(['a\rb', 'a\u2028b', 'a\u2029b', 'a\nb'].map((text) => matches('a.b', text))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('M2 . and [^…] take one UTF-16 code unit, as in .NET: an emoji is two', () => {
    expect([matches('^.$', '😀'), matches('^..$', '😀'), matches('^[^a]{2}$', '😀')]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('M2 $ matches at the end and before a final \\n, as in .NET', () => {
    expect(
      ['thanks', 'thanks\n', 'thanks\n\n', 'thanks!'].map((text) => matches('thanks$', text)),
    ).toEqual([true, true, false, false]);
  });

  it('M2 ] first in a class, and { that opens no quantifier, are literal', () => {
    expect([
      matches('^[]a]+$', ']a]'),
      matches('a{b', 'xa{b'),
      matches('a{2,x}', 'a{2,x}'),
      matches('a}', 'a}'),
    ]).toEqual([true, true, true, true]);
  });

  it('M2 \\d is every decimal digit, \\w every letter, mark, digit and connector, as in .NET', () => {
    expect([
      matches('^\\d+$', '٣٤५'),
      matches('^\\w+$', 'café_Łódź'),
      matches('^\\w$', '-'),
      matches('^\\d$', '²'),
    ]).toEqual([true, true, false, false]);
  });

  it('M2 \\s is .NET white space: it has U+0085 and U+3000, not U+FEFF', () => {
    expect(
      ['\u0085', '\u3000', '\t', '\ufeff', '\u200b'].map((text) => matches('^\\s$', text)),
    ).toEqual([true, true, true, false, false]);
  });

  it('M2 \\b treats letters beyond ASCII as word characters, and ZWJ too, as .NET does', () => {
    expect([
      matches('\\bé', ' é'),
      matches('a\\bé', 'aé'),
      matches('é\\b', 'é '),
      matches('a\\b\u200d', 'a\u200d'),
    ]).toEqual([true, false, true, false]);
    expect([matches('\\Bé', 'aé'), matches('\\w\\b\\W', 'é-'), matches('^\\b$', '')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('M2 escapes: \\t \\n \\e \\a \\xHH \\uHHHH \\cX \\0, and \\b in a class is a backspace', () => {
    expect(toJavaScriptSource(parseDotNetRegex('\\t\\n\\e\\a\\x41\\u00e9\\cM\\0[\\b]'))).toBe(
      '\\u0009\\u000A\\u001B\\u0007A\\u00E9\\u000D\\u0000[\\u0008]',
    );
  });

  it('M2 groups of every kind only group, and lookarounds keep their meaning', () => {
    expect(toJavaScriptSource(parseDotNetRegex('(a)(?<n>b)(?:c)(?=d)(?!e)(?<=f)(?<!g)'))).toBe(
      '(?:a)(?:b)(?:c)(?=d)(?!e)(?<=f)(?<!g)',
    );
    expect([matches('(?<=/)thanks', '/thanks'), matches('(?<!/)thanks', '/thanks')]).toEqual([
      true,
      false,
    ]);
  });

  it('M2 quantifiers keep their counts and laziness', () => {
    expect(toJavaScriptSource(parseDotNetRegex('a*b+?c?d{2}e{2,}f{2,5}?'))).toBe(
      'a*b+?c?d{2}e{2,}f{2,5}?',
    );
  });

  it('M2 \\d \\w \\s and their negations are exact on all 65,536 code units, case-insensitive matching included', () => {
    const definitions = {
      d: /^\p{Nd}$/u,
      w: /^[\p{L}\p{Mn}\p{Nd}\p{Pc}]$/u,
      s: /^[\t-\r\u0085\p{Z}]$/u,
    };
    const wrong: string[] = [];
    for (const [letter, definition] of Object.entries(definitions)) {
      const positive = compileDotNetRegex(`^\\${letter}$`).regExp;
      const negative = compileDotNetRegex(`^\\${letter.toUpperCase()}$`).regExp;
      for (let code = 0; code <= 0xffff; code++) {
        const text = String.fromCharCode(code);
        const inside = definition.test(text);
        if (positive.test(text) !== inside || negative.test(text) === inside)
          wrong.push(`\\${letter} U+${code.toString(16)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('M1 matching ignores case, on ASCII and beyond', () => {
    expect([
      matches('THANKS', 'thanks'),
      matches('Straße', 'STRASSE'),
      matches('élan', 'ÉLAN'),
      matches('[a-c]', 'B'),
    ]).toEqual([true, false, true, true]);
  });

  it('M2 every character other than an ASCII letter or digit is written \\uHHHH', () => {
    expect(toJavaScriptSource(parseDotNetRegex('a.b$|/x\\/y'))).toBe(
      'a[^\\u000A]b(?=\\u000A?$)|\\u002Fx\\u002Fy',
    );
  });
});

describe('literals that prefilter regular expressions (M2 performance)', () => {
  const cases: [pattern: string, literals: string[] | undefined][] = [
    ['\\/thanks', ['/thanks']],
    ['confirm(ation)?\\.html', ['confirm']],
    ['order-\\d+', ['order-']],
    ['^https?://(www\\.)?contoso\\.com/checkout', ['contoso.com/checkout']],
    ['(Thanks|CONFIRM)\\.html', ['thanks', 'confirm']],
    ['(a|bc)defgh', ['defgh']],
    ['ab{2,}c', ['abb']],
    ['x{3}yz', ['xxxyz']],
    ['a{100}', ['a'.repeat(64)]],
    ['thé', ['th']],
    ['a[bc]d', ['a']],
    ['(?=secret)page', ['page']],
    ['\\d{5}', undefined],
    ['.*', undefined],
    ['thanks|\\d+', undefined],
    ['(abc)?', undefined],
    ['', undefined],
  ];
  for (const [pattern, literals] of cases) {
    it(`M2 ${JSON.stringify(pattern)} requires ${literals === undefined ? 'nothing' : literals.join(' or ')}`, () => {
      expect(requiredLiterals(parseDotNetRegex(pattern))).toEqual(literals);
    });
  }

  it('M2 a text without any literal of a pattern never matches it', () => {
    const patterns = ['(Thanks|CONFIRM)\\.html', 'order-\\d+', 'ab{2,}c', 'x{3}yz'];
    const texts = [
      'THANKS.HTML',
      'order-12',
      'abbbc',
      'XXXYZ',
      'thank.html',
      'order-',
      'abc',
      'xxyz',
    ];
    for (const pattern of patterns) {
      const { regExp, literals } = compileDotNetRegex(pattern);
      for (const text of texts) {
        const found = (literals ?? []).some((literal) => text.toLowerCase().includes(literal));
        if (!found) expect(regExp.test(text)).toBe(false);
      }
    }
  });
});
