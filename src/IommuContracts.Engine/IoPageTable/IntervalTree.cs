namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// A set of inclusive intervals [Start, Last] (overlaps allowed) in a treap augmented with the subtree's
/// lowest start, highest last and an upper bound of its largest internal gap. Lookups of intersecting
/// intervals cost O(log n + k); <see cref="FirstGap"/> finds the first free run of a given size in
/// O(log n) for the densely packed trees iommufd builds, where a linear hole walk would be O(n).
/// Not thread-safe: the owning io_pagetable serialises access.
/// </summary>
internal sealed class IntervalTree<T>
{
    private Node? _root;
    private uint _seed = 0x9E3779B9;

    public int Count { get; private set; }

    public bool IsEmpty => _root is null;

    /// <summary>Adds an interval and returns its node (the handle for <see cref="Remove(Node)"/>).</summary>
    public Node Insert(ulong start, ulong last, T value)
    {
        if (last < start)
        {
            throw new ArgumentException("last < start");
        }

        var node = new Node(start, last, value, NextPriority());
        _root = Insert(_root, node);
        Count++;
        return node;
    }

    public void Remove(Node node)
    {
        _root = Remove(_root, node);
        Count--;
    }

    /// <summary>The intersecting interval with the lowest start, or null.</summary>
    public Node? FirstIntersecting(ulong start, ulong last) => FirstIntersecting(_root, start, last);

    /// <summary>Every interval intersecting [start, last], in ascending start order.</summary>
    public List<Node> Intersecting(ulong start, ulong last)
    {
        var result = new List<Node>();
        CollectIntersecting(_root, start, last, result);
        return result;
    }

    /// <summary>All intervals in ascending start order.</summary>
    public List<Node> All() => Intersecting(0, ulong.MaxValue);

    /// <summary>
    /// The first maximal free run [gapStart, gapLast] inside [from, to] that is not covered by any interval
    /// and holds at least <paramref name="minimumLength"/> bytes (1 ≤ minimumLength).
    /// </summary>
    public bool FirstGap(ulong from, ulong to, ulong minimumLength, out ulong gapStart, out ulong gapLast)
    {
        gapStart = gapLast = 0;
        if (from > to)
        {
            return false;
        }

        var walk = new GapWalk(from, to, minimumLength);
        if (walk.Visit(_root))
        {
            gapStart = walk.FoundStart;
            gapLast = walk.FoundLast;
            return true;
        }

        // The run after the last interval.
        if (!walk.Exhausted && walk.Free <= to && to - walk.Free + 1 >= minimumLength)
        {
            gapStart = walk.Free;
            gapLast = to;
            return true;
        }

        return false;
    }

    /// <summary>The holes of [from, to] left by the intervals, in ascending order.</summary>
    public List<(ulong Start, ulong Last)> Holes(ulong from, ulong to)
    {
        var holes = new List<(ulong, ulong)>();
        var cursor = from;
        var exhausted = false;
        foreach (var node in Intersecting(from, to))
        {
            if (!exhausted && node.Start > cursor)
            {
                holes.Add((cursor, node.Start - 1));
            }

            if (node.Last == ulong.MaxValue)
            {
                exhausted = true;
            }
            else if (node.Last + 1 > cursor)
            {
                cursor = node.Last + 1;
            }
        }

        if (!exhausted && cursor <= to)
        {
            holes.Add((cursor, to));
        }

        return holes;
    }

    private uint NextPriority()
    {
        // xorshift32: deterministic, so runs are reproducible.
        var x = _seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _seed = x;
        return x;
    }

    private static Node Insert(Node? root, Node node)
    {
        if (root is null)
        {
            return node;
        }

        if (Compare(node, root) < 0)
        {
            root.Left = Insert(root.Left, node);
            if (root.Left.Priority > root.Priority)
            {
                root = RotateRight(root);
            }
        }
        else
        {
            root.Right = Insert(root.Right, node);
            if (root.Right.Priority > root.Priority)
            {
                root = RotateLeft(root);
            }
        }

        root.Update();
        return root;
    }

    private static Node? Remove(Node? root, Node node)
    {
        if (root is null)
        {
            return null;
        }

        if (ReferenceEquals(root, node))
        {
            return Merge(root.Left, root.Right);
        }

        if (Compare(node, root) < 0)
        {
            root.Left = Remove(root.Left, node);
        }
        else
        {
            root.Right = Remove(root.Right, node);
        }

        root.Update();
        return root;
    }

    private static Node? Merge(Node? left, Node? right)
    {
        if (left is null)
        {
            return right;
        }

        if (right is null)
        {
            return left;
        }

        if (left.Priority > right.Priority)
        {
            left.Right = Merge(left.Right, right);
            left.Update();
            return left;
        }

        right.Left = Merge(left, right.Left);
        right.Update();
        return right;
    }

    // Order by start, then by insertion sequence so equal starts stay distinct.
    private static int Compare(Node a, Node b)
        => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Sequence.CompareTo(b.Sequence);

    private static Node RotateRight(Node node)
    {
        var left = node.Left!;
        node.Left = left.Right;
        left.Right = node;
        node.Update();
        left.Update();
        return left;
    }

    private static Node RotateLeft(Node node)
    {
        var right = node.Right!;
        node.Right = right.Left;
        right.Left = node;
        node.Update();
        right.Update();
        return right;
    }

    private static Node? FirstIntersecting(Node? node, ulong start, ulong last)
    {
        if (node is null || node.SubMaxLast < start || node.SubMinStart > last)
        {
            return null;
        }

        if (FirstIntersecting(node.Left, start, last) is { } inLeft)
        {
            return inLeft;
        }

        if (node.Start <= last && node.Last >= start)
        {
            return node;
        }

        return node.Start > last ? null : FirstIntersecting(node.Right, start, last);
    }

    private static void CollectIntersecting(Node? node, ulong start, ulong last, List<Node> result)
    {
        if (node is null || node.SubMaxLast < start || node.SubMinStart > last)
        {
            return;
        }

        CollectIntersecting(node.Left, start, last, result);
        if (node.Start <= last && node.Last >= start)
        {
            result.Add(node);
        }

        if (node.Start <= last)
        {
            CollectIntersecting(node.Right, start, last, result);
        }
    }

    /// <summary>An in-order walk that keeps the start of the current free run and prunes subtrees without a big enough gap.</summary>
    private sealed class GapWalk
    {
        private readonly ulong _to;
        private readonly ulong _minimum;

        public GapWalk(ulong from, ulong to, ulong minimum)
        {
            Free = from;
            _to = to;
            _minimum = minimum;
        }

        public ulong Free { get; private set; }

        public bool Exhausted { get; private set; }

        public ulong FoundStart { get; private set; }

        public ulong FoundLast { get; private set; }

        public bool Visit(Node? node)
        {
            if (node is null || Exhausted || Free > _to || node.SubMaxLast < Free)
            {
                return false;
            }

            // The whole subtree lies after the free run: the run ends where the subtree starts.
            if (node.SubMinStart > Free && TryRun(node.SubMinStart - 1))
            {
                return true;
            }

            // No gap inside the subtree is long enough, wherever it starts relative to the free cursor: skip it
            // whole. (Checking this only for subtrees after the cursor made a packed tree a linear walk.)
            if (node.SubMaxGap < _minimum)
            {
                Advance(node.SubMaxLast);
                return false;
            }

            if (Visit(node.Left))
            {
                return true;
            }

            if (Exhausted || Free > _to)
            {
                return false;
            }

            if (node.Start > Free && TryRun(node.Start - 1))
            {
                return true;
            }

            Advance(node.Last);
            return Visit(node.Right);
        }

        private bool TryRun(ulong runLast)
        {
            var last = Math.Min(runLast, _to);
            if (Free > last || last - Free + 1 < _minimum)
            {
                return false;
            }

            FoundStart = Free;
            FoundLast = last;
            return true;
        }

        private void Advance(ulong coveredLast)
        {
            if (coveredLast == ulong.MaxValue)
            {
                Exhausted = true;
            }
            else if (coveredLast + 1 > Free)
            {
                Free = coveredLast + 1;
            }
        }
    }

    public sealed class Node
    {
        private static long s_sequence;

        internal Node(ulong start, ulong last, T value, uint priority)
        {
            Start = start;
            Last = last;
            Value = value;
            Priority = priority;
            Sequence = Interlocked.Increment(ref s_sequence);
            Update();
        }

        public ulong Start { get; }

        public ulong Last { get; }

        public T Value { get; }

        internal Node? Left { get; set; }

        internal Node? Right { get; set; }

        internal uint Priority { get; }

        internal long Sequence { get; }

        internal ulong SubMinStart { get; private set; }

        internal ulong SubMaxLast { get; private set; }

        /// <summary>An upper bound of the largest uncovered run strictly inside the subtree's span.</summary>
        internal ulong SubMaxGap { get; private set; }

        internal void Update()
        {
            SubMinStart = Left?.SubMinStart ?? Start;
            SubMaxLast = Math.Max(Last, Math.Max(Left?.SubMaxLast ?? 0, Right?.SubMaxLast ?? 0));
            var gap = Math.Max(Left?.SubMaxGap ?? 0, Right?.SubMaxGap ?? 0);
            if (Left is not null)
            {
                gap = Math.Max(gap, GapBetween(Left.SubMaxLast, Start));
            }

            if (Right is not null)
            {
                gap = Math.Max(gap, GapBetween(Math.Max(Last, Left?.SubMaxLast ?? 0), Right.SubMinStart));
            }

            SubMaxGap = gap;
        }

        private static ulong GapBetween(ulong coveredLast, ulong nextStart)
            => nextStart > coveredLast ? nextStart - coveredLast - 1 : 0;

        public override string ToString() => $"[0x{Start:X}, 0x{Last:X}]";
    }
}
