// The composite-alarm rule language (PutCompositeAlarm AlarmRule): ALARM/OK/INSUFFICIENT_DATA(name),
// TRUE, FALSE, AND, OR, NOT and parentheses. Parsed to check references before sending, and evaluated
// in tests to prove the composites fire when the multiwindow rule says they should.

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type RuleNode =
  | { kind: 'state'; state: AlarmState; alarm: string }
  | { kind: 'const'; value: boolean }
  | { kind: 'not'; operand: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

type Token = { t: 'word'; v: string } | { t: 'name'; v: string } | { t: '(' } | { t: ')' };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else if (c === '"') {
      const end = rule.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unterminated quoted alarm name at offset ${i}`);
      tokens.push({ t: 'name', v: rule.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = /^[^\s()"]+/.exec(rule.slice(i))!;
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses an AlarmRule; throws Error with a readable message when it is malformed. */
export function parseAlarmRule(rule: string): RuleNode {
  const tokens = tokenize(rule);
  let pos = 0;
  const peekWord = () => (tokens[pos]?.t === 'word' ? (tokens[pos] as { v: string }).v : undefined);
  const expect = (t: '(' | ')') => {
    if (tokens[pos]?.t !== t) throw new Error(`expected "${t}" at token ${pos + 1}`);
    pos++;
  };
  // Precedence as in boolean algebra: NOT binds tightest, then AND, then OR.
  const orExpr = (): RuleNode => {
    let left = andExpr();
    while (peekWord() === 'OR') {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): RuleNode => {
    let left = unary();
    while (peekWord() === 'AND') {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): RuleNode => {
    const tok = tokens[pos];
    if (!tok) throw new Error('rule ends too early');
    if (tok.t === '(') {
      pos++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (tok.t === 'word') {
      if (tok.v === 'NOT') {
        pos++;
        return { kind: 'not', operand: unary() };
      }
      if (tok.v === 'TRUE' || tok.v === 'FALSE') {
        pos++;
        return { kind: 'const', value: tok.v === 'TRUE' };
      }
      if (tok.v === 'ALARM' || tok.v === 'OK' || tok.v === 'INSUFFICIENT_DATA') {
        pos++;
        expect('(');
        const name = tokens[pos];
        if (!name || (name.t !== 'name' && name.t !== 'word')) throw new Error(`${tok.v}( needs an alarm name`);
        pos++;
        expect(')');
        return { kind: 'state', state: tok.v, alarm: name.v };
      }
    }
    throw new Error(`unexpected ${tok.t === 'word' || tok.t === 'name' ? `"${tok.v}"` : `"${tok.t}"`} at token ${pos + 1}`);
  };
  const ast = orExpr();
  if (pos !== tokens.length) throw new Error(`unexpected input after token ${pos}`);
  return ast;
}

export function ruleAlarms(node: RuleNode): string[] {
  switch (node.kind) {
    case 'state':
      return [node.alarm];
    case 'const':
      return [];
    case 'not':
      return ruleAlarms(node.operand);
    default:
      return [...ruleAlarms(node.left), ...ruleAlarms(node.right)];
  }
}

/** Number of elements as CloudWatch counts them: child alarms, TRUE/FALSE and parentheses. */
export function ruleElementCount(rule: string): number {
  return tokenize(rule).filter((t) => t.t === '(' || t.t === ')' || t.t === 'name' || (t.t === 'word' && /^(TRUE|FALSE)$/.test(t.v))).length;
}

export function evaluateAlarmRule(node: RuleNode, stateOf: (alarm: string) => AlarmState): boolean {
  switch (node.kind) {
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'const':
      return node.value;
    case 'not':
      return !evaluateAlarmRule(node.operand, stateOf);
    case 'and':
      return evaluateAlarmRule(node.left, stateOf) && evaluateAlarmRule(node.right, stateOf);
    case 'or':
      return evaluateAlarmRule(node.left, stateOf) || evaluateAlarmRule(node.right, stateOf);
  }
}
