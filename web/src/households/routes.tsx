import { Route } from 'react-router-dom';
import { HouseholdListPage } from './HouseholdListPage.js';
import { HouseholdPage } from './HouseholdPage.js';

/** Routes of the household feature, mounted inside the app shell. */
export const householdRoutes = [
  <Route key="households" path="households" element={<HouseholdListPage />} />,
  <Route key="household" path="households/:id" element={<HouseholdPage />} />,
];
