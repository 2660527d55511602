import { Route } from 'react-router-dom';
import { OrganisationsPage } from './OrganisationsPage.js';
import { UsersPage } from './UsersPage.js';

/** Routes of the access feature (accounts; organisations and agreements), mounted inside the app shell. */
export const accessRoutes = {
  users: [<Route key="users" path="users" element={<UsersPage />} />],
  organisations: [<Route key="organisations" path="organisations" element={<OrganisationsPage />} />],
};
