import { describe, expect, it } from 'vitest';
import { populationOf } from './population.js';

describe('population group', () => {
  it('enrolled households are enrolled whatever else holds', () => {
    for (const category of ['extreme_poverty', 'dibao', 'rigid_expenditure']) {
      expect(populationOf({ category, enrolledInLookback: true, referrals: ['department_referral'] })).toEqual({ group: 'enrolled', reasons: [] });
    }
  });
  it('suspected: marginal, income uplift, recent exit, rejected application, department referral — every reason that holds', () => {
    expect(populationOf({ category: 'marginal', enrolledInLookback: false, referrals: [] })).toEqual({ group: 'suspected', reasons: ['marginal'] });
    expect(populationOf({ category: 'income_uplift', enrolledInLookback: false, referrals: [] })).toEqual({ group: 'suspected', reasons: ['income_uplift'] });
    expect(populationOf({ category: 'none', enrolledInLookback: true, referrals: [] })).toEqual({ group: 'suspected', reasons: ['recent_exit'] });
    expect(populationOf({ category: null, enrolledInLookback: false, referrals: ['rejected_application'] })).toEqual({ group: 'suspected', reasons: ['rejected_application'] });
    expect(populationOf({ category: 'marginal', enrolledInLookback: true, referrals: ['department_referral', 'rejected_application'] })).toEqual({
      group: 'suspected', reasons: ['marginal', 'recent_exit', 'rejected_application', 'department_referral'],
    });
  });
  it('general otherwise', () => {
    expect(populationOf({ category: 'none', enrolledInLookback: false, referrals: [] })).toEqual({ group: 'general', reasons: [] });
    expect(populationOf({ category: null, enrolledInLookback: false, referrals: [] })).toEqual({ group: 'general', reasons: [] });
  });
});
