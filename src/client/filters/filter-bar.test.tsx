// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FilterBar, unknownValues } from './filter-bar.tsx';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

describe('FilterBar', () => {
  it('shows each filter of the link as a chip that removes it', () => {
    window.history.replaceState(null, '', '/?scope=region:europe&tech=lorawan,wifi&status=offline');
    render(<FilterBar />);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('LoRaWAN'),
      expect.stringContaining('Wi-Fi'),
      expect.stringContaining('Offline'),
      'Clear all',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter LoRaWAN' }));
    expect(window.location.search).toBe('?scope=region:europe&tech=wifi&status=offline');
  });

  it('adds a filter from its picker', () => {
    render(<FilterBar />);
    fireEvent.change(screen.getByLabelText('Add a device class filter'), {
      target: { value: 'vehicle' },
    });
    expect(window.location.search).toBe('?class=vehicle');
  });

  it('says which values of a mistyped link it left out', () => {
    expect(unknownValues('?tech=wifi,zigbee&status=lost')).toEqual(['tech=zigbee', 'status=lost']);
    window.history.replaceState(null, '', '/?tech=zigbee');
    render(<FilterBar />);
    expect(screen.getByRole('status').textContent).toContain('tech=zigbee');
    expect(screen.getByText('No filter: all devices')).toBeTruthy();
  });
});
