"""Exit codes and the one exception type for unusable input."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    INPUT = 2
    THRESHOLD = 3
    INTERRUPTED = 130  # 128 + SIGINT, what shells and schedulers expect after Ctrl-C


INTERRUPTED_MESSAGE = "已中断：没有写完的文件都已清除，输出文件夹里留下的都是完整的文件。"


class GridtoolError(Exception):
    """Input that cannot be used at all. The message is shown to staff, in Chinese.

    Data problems inside a usable file are findings in a result, not this exception.
    """

    def __init__(self, message: str, hint: str = "", code: ExitCode = ExitCode.INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


# What staff can do about an operating-system error, by errno: (what happened, what to do).
_FULL = ("所在的磁盘已满（或超出空间配额），文件没有写完", "请清理磁盘空间，或用 --out 指定其他磁盘上的文件夹。")
_DENIED = ("没有写入权限", "请用 --out 指定其他文件夹（例如“文档”里的文件夹）；文件如果正在 Excel/WPS 中打开，请先关闭。")
_BUSY = ("正被其他程序使用（例如在 Excel/WPS 中打开）", "请关闭该文件后重试。")
_OS_ADVICE: dict[str, tuple[str, str]] = {
    "EACCES": _DENIED, "EPERM": _DENIED, "ENOSPC": _FULL, "EDQUOT": _FULL,
    "EROFS": ("在只读的磁盘上（如写保护的U盘、光盘），无法写入", "请用 --out 指定其他文件夹。"),
    "ENAMETOOLONG": ("的路径太长", "请用 --out 指定一个路径较短的文件夹，例如 D:\\跟进。"),
    "ENOTDIR": ("的路径中有一部分是文件，不是文件夹", "请用 --out 指定一个文件夹。"),
    "EISDIR": ("的位置上已有一个同名的文件夹", "请移走或改名这个文件夹，或用 --out 指定其他文件夹。"),
    "EEXIST": ("已存在，但不是可以写入的文件夹（可能是文件，或指向不存在位置的快捷方式）", "请用 --out 指定其他文件夹。"),
    "ELOOP": ("的快捷方式（符号链接）循环指向自己", "请用 --out 指定其他文件夹。"),
    "ENOENT": ("不存在（文件夹可能被移走、删除，或U盘已拔出）", "请检查后重试。"),
    "EIO": ("读写时磁盘出错（U盘或移动硬盘可能已拔出或损坏）", "请检查磁盘后重试，或用 --out 指定其他文件夹。"),
    "EBUSY": _BUSY, "ETXTBSY": _BUSY,
    "EMFILE": ("打开的文件太多", "请关闭一些程序后重试。"), "ENFILE": ("打开的文件太多", "请关闭一些程序后重试。"),
    "EFBIG": ("的文件超出了磁盘格式允许的大小（FAT32 格式的U盘单个文件不能超过 4 GB）", "请用 --out 指定其他磁盘上的文件夹。"),
}
SHARING_VIOLATION = 32  # Windows: the file is open in another program


_READ_DENIED = ("没有读取或写入的权限", "请检查这个文件或文件夹的权限，或把文件复制到自己的文件夹后重试。")


def os_error(exc: OSError, place: str, writing: bool = True) -> GridtoolError | None:
    """The Chinese message for an operating-system error at `place` (for example "输出文件夹 D:\\跟进"),
    or None when the error says nothing about files and disks (then it is a bug)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if getattr(exc, "winerror", None) == SHARING_VIOLATION:
        name = "EBUSY"
    what, hint = _OS_ADVICE.get(name, ("", ""))
    if (what, hint) == _DENIED and not writing:
        what, hint = _READ_DENIED
    if not what:
        if exc.filename is None:
            return None
        what = f"读写时出错（系统错误码 {exc.errno}）" if exc.errno else "读写时出错"  # strerror is English
        hint = "请检查文件和文件夹后重试，或用 --out 指定其他文件夹。"
    return GridtoolError(f"{place} {what}。", hint)
