// IAM policy evaluation: for one request, would AWS allow it? Pure: policies in, decision out.
export type {
  AccessRequest,
  Decision,
  DecisionKind,
  EvaluationInput,
  PolicyDocument,
  PolicyValue,
  RequestPrincipal,
  StatementMatch,
  Unresolved,
} from './types.js';
export { evaluate } from './evaluate.js';
export { actionMatches } from './action.js';
export { arnMatches } from './arn-match.js';
