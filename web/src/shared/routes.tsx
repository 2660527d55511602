import { Route } from 'react-router-dom';
import { SharedHouseholdPage, SharedHouseholdsPage } from './SharedHouseholdsPage.js';

/** Routes of the shared-households feature, mounted inside the app shell. */
export const sharedRoutes = [
  <Route key="shared" path="shared" element={<SharedHouseholdsPage />} />,
  <Route key="shared-household" path="shared/:id" element={<SharedHouseholdPage />} />,
];
