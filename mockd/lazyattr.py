"""`cached_property` without the lock Python 3.11's takes on every first access.

functools.cached_property (3.8-3.11) serialises each first computation through one lock shared by all
instances of the class. The request model is made once per HTTP request and most of its properties
are read once, so every read paid that lock. This descriptor stores the value in the instance's
`__dict__` the same way (frozen dataclasses included); two threads reading the same new property at
once may both compute it, which is harmless for the pure properties it is used on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # named like the functools one it replaces
    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.attrname] = value
        return value


__all__ = ["cached_property"]
