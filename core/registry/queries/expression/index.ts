// The `where` expression language (daf_butler's grammar): parse, inspect, compile to SQL.
export { parseWhere, sourceOf } from './parser.js';
export { tokenize, type Token, type TokenType } from './lexer.js';
export type * from './ast.js';
export { childrenOf } from './ast.js';
export { UserExpressionError, UserExpressionSyntaxError, caretDisplay, type SourceSpan } from './errors.js';
export { referencedIdentifiers, referencedBindNames, type IdentifierRef } from './identifiers.js';
export {
  compileWhere, type CompileContext, type CompiledWhere, type ResolvedColumn, type SqlFragment, type ColumnType, type ScalarColumnType,
} from './compiler.js';
export { regionFromSiaPos } from './siaPos.js';
export { formatWhere } from './format.js';
