// Errors in user `where` expressions. Each carries the expression, the 1-based
// line/column of the offending text and prints the line with a caret under it,
// so a long expression typed in the GUI or CLI points at its own mistake.

export interface SourceSpan {
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset after the last character. */
  readonly end: number;
}

function locate(expression: string, offset: number): { line: number; column: number; lineText: string } {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset && i < expression.length; i += 1) {
    if (expression[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  const lineEnd = expression.indexOf('\n', lineStart);
  return { line, column: offset - lineStart + 1, lineText: expression.slice(lineStart, lineEnd === -1 ? undefined : lineEnd) };
}

/** The expression line with carets under [start, end). */
export function caretDisplay(expression: string, span: SourceSpan): string {
  const { column, lineText } = locate(expression, span.start);
  const width = Math.max(1, Math.min(span.end, span.start + lineText.length - column + 1) - span.start);
  return `  ${lineText}\n  ${' '.repeat(column - 1)}${'^'.repeat(width)}`;
}

/** A problem in a user expression that is not a syntax error: types, unknown names, bad values. */
export class UserExpressionError extends Error {
  /** 1-based line of the offending text. */
  readonly line: number;
  /** 1-based column (within its line) of the offending text. */
  readonly column: number;
  /** The message without the caret display. */
  readonly reason: string;

  constructor(reason: string, readonly expression: string, readonly span: SourceSpan) {
    const { line, column } = locate(expression, span.start);
    const where = expression.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
    super(`${reason} (${where})\n${caretDisplay(expression, span)}`);
    this.name = 'UserExpressionError';
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** The expression does not follow the grammar. */
export class UserExpressionSyntaxError extends UserExpressionError {
  constructor(reason: string, expression: string, span: SourceSpan, readonly token: string) {
    super(reason, expression, span);
    this.name = 'UserExpressionSyntaxError';
  }
}
