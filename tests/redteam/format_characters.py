"""Red team: Unicode format characters in everything the grader reports back: a right-to-left
override and isolates (a message ending "gpj.exe" renders as "exe.jpg"), zero-width spaces and
joiners (two names that look alike), a byte-order mark, a word joiner, tag characters
(invisible text) and line and paragraph separators, in what the code prints, an exception's
class name and message, the name of the function it passed through, and the class name of a
returned object. No report file, no line of the grader's output may hold any of them; they
show as escapes (\\u202e), and the checks of compute_cost and predict fail, saying so.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

HIDDEN = "\u202e\u2066\u2069\u200b\u200c\u200d\u2060\ufeff\u2028\u2029\U000e0041\u00ad"

print("at import" + HIDDEN, flush=True)

Hidden = type("Hidden" + HIDDEN, (Exception,), {})


def compute_cost(A2, Y):
    print("in compute_cost" + HIDDEN, flush=True)
    raise Hidden("cost " + HIDDEN + " gpj.exe")


compute_cost.__code__ = compute_cost.__code__.replace(co_name="cost" + HIDDEN)


def predict(parameters, X):
    return type("Thing" + HIDDEN, (), {})()
