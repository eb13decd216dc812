import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { customerQueries } from './queries.ts';

export const useCustomers = () => useInfiniteQuery(customerQueries.list());
export const useCustomer = (customerId: string) => useQuery(customerQueries.one(customerId));
export const useCustomerContacts = (customerId: string) =>
  useQuery({ ...customerQueries.contacts(customerId), enabled: customerId !== '' });
