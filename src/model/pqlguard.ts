/** PQL fits maximise no likelihood: the likelihood-based tools refuse them with a clear error. */
import { FitError } from '../errors';

export function rejectPql(fit: { method?: string }, what: string): void {
  if (fit.method === 'PQL') {
    throw new FitError(
      `${what} need${what.endsWith('s') ? '' : 's'} a likelihood, and a PQL fit has none (penalized quasi-likelihood); use Wald tests (waldTest, anova type 3, confint method 'Wald') or a Laplace/AGQ fit`,
    );
  }
}
