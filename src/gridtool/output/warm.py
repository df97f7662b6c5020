"""What a command's standby second process imports while the command still reads its inputs
(`second_process.standby_for`), named here without importing them: the command starts the standby before
pandas is imported, and reads while a thread imports pandas (cli.app.read_while_importing)."""

# the books' writers, and the follow-up log's entering, which the second process does first (`--log`; tasks always)
_ENTERING = ("gridtool.domain.loop.issue", "gridtool.output.log_book")
FOLLOWUP_BOOKS = ("gridtool.output.followup_books", "rustpy_xlsxwriter", *_ENTERING)
TASK_BOOKS = ("gridtool.output.task_books", "rustpy_xlsxwriter", *_ENTERING)
# the returned books a second process reads while this one reads the others (`collect`)
RETURNED_BOOKS = ("gridtool.domain.loop.collect",)
