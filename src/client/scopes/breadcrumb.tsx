import { ancestry, type ScopeTree } from './scope-tree.ts';
import { ScopeLink } from './scope-link.tsx';

/** World → region → country → site; every step is a link back up. */
export function Breadcrumb({ tree, scope }: { tree: ScopeTree | undefined; scope: string }) {
  const path = tree ? ancestry(tree, scope) : [];
  if (path.length === 0) {
    return (
      <nav className="breadcrumb" aria-label="Scope">
        <ol>
          <li>
            <ScopeLink scope="global">World</ScopeLink>
          </li>
        </ol>
      </nav>
    );
  }
  return (
    <nav className="breadcrumb" aria-label="Scope">
      <ol>
        {path.map((node, i) => (
          <li key={node.id}>
            <ScopeLink scope={node.id} current={i === path.length - 1}>
              {node.name}
            </ScopeLink>
          </li>
        ))}
      </ol>
    </nav>
  );
}
