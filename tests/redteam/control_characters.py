"""Red team: terminal escape sequences, control characters and rich markup in everything the
grader reports back: what the code prints, an exception's class name and message, the name
of the function it passed through, the class name of a returned object. Catted, summary.md
used to write to the instructor's clipboard (OSC 52), clear the screen and retitle the
window. No report file, no line of the grader's output may hold any of these bytes; the
checks of compute_cost and predict fail, and say what the student's text was.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# an OSC 52 clipboard write ("rm -rf ~"), a screen clear, an OSC 0 window title, BEL, a
# carriage return, DEL, an 8-bit CSI (U+009B), a terminal reset, then rich markup, one tag
# of it unbalanced (rich raises on it when it is not escaped)
HOSTILE = ("\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[H\x1b]0;pwned\x07\x07\r\x7f\x9b31m\x1bc"
           "[bold red]RICH[/bold red][link=https://evil.example]x[/link][/]")
NUL = "\x00"  # not allowed in a class name

print("at import" + HOSTILE + NUL, flush=True)

Hostile = type("Hostile" + HOSTILE, (Exception,), {})


def compute_cost(A2, Y):
    print("in compute_cost" + HOSTILE + NUL, flush=True)
    raise Hostile(HOSTILE + NUL)


compute_cost.__code__ = compute_cost.__code__.replace(co_name="cost" + HOSTILE + NUL)


def predict(parameters, X):
    return type("Thing" + HOSTILE, (), {})()
