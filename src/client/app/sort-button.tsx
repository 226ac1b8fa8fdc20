interface SortButtonProps {
  label: string;
  /** This column's order when the table is sorted by it, else null. */
  sorted: 'asc' | 'desc' | null;
  onClick: () => void;
  title?: string;
}

/** A column header's sort button; the header cell itself carries aria-sort. */
export function SortButton({ label, sorted, onClick, title }: SortButtonProps) {
  return (
    <button type="button" className="sort-button" onClick={onClick} title={title}>
      {label}
      <span aria-hidden="true" className="sort-button__arrow">
        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
      </span>
    </button>
  );
}

/** aria-sort of a column header. */
export function ariaSort(sorted: 'asc' | 'desc' | null): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}
